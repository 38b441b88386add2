# Reference values for dendrite's 1-D sequence layers (issue 18) from Keras 3 on JAX, above all for what TF.js lacks
# (causal Conv1D, UpSampling1D, ZeroPadding1D, Cropping1D, GlobalAveragePooling1D with a mask, keepdims): for each
# case a small chain of layers with seeded random weights, its input (and mask), and its output. One JSON file,
# test/fixtures/sequence-layers/sequence-layers.json, read by test/nn/layers/sequence-keras-reference.test.ts, which
# builds each layer from Keras' own get_config() through dendrite's model-file reader.
#
#     .venv-keras/bin/python scripts/keras-fixtures/sequence_layers_reference.py [OUT_FILE]
#
# The test reruns the script into a temporary file where Keras is installed and compares it with the committed
# one, so the fixture cannot drift from Keras. Last run with keras 3.15.1, jax 0.10.2; the committed JSON is then
# formatted with the repository's Biome (npx biome format --write test/fixtures/sequence-layers).
#
# Each case:
#     layers:   [{class_name, config (Keras' get_config without its dtype policy)}], applied in order, each given
#               the mask the one before made (Embedding(mask_zero=True) makes one)
#     x:        the input (for an Embedding: integer ids, given as floats); mask: a float 1/0 [batch, steps] passed
#               with x to the first layer when given
#     weights:  every layer's weights in order, in Keras' layout (which is dendrite's)
#     y:        the chain's output (NaN written as null)
import json
import math
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ.setdefault("JAX_PLATFORMS", "cpu")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import jax  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import layers  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DEFAULT_OUT = os.path.join(ROOT, "test", "fixtures", "sequence-layers", "sequence-layers.json")

BATCH, T, CHANNELS = 2, 7, 3
# 1 for a real step, 0 for padding: padded at the end, and a row with a gap in the middle
MASK = np.array([[1, 1, 1, 1, 0, 0, 0], [1, 0, 1, 1, 1, 0, 1]], dtype=np.float32)


def tensor_json(a):
    """float32 values in their shortest decimal form; NaN as null (JSON has no NaN)."""
    a = np.asarray(a, dtype=np.float32)
    return {"shape": list(a.shape), "values": [None if math.isnan(v) else float(str(v)) for v in a.reshape(-1)]}


def case(name, make, *, mask=False, ids=False):
    return {"name": name, "make": make, "mask": mask, "ids": ids}


CASES = [
    case("conv1d_causal_dilated", lambda: [layers.Conv1D(4, 3, padding="causal", dilation_rate=2)]),
    case("conv1d_causal_strided_tanh", lambda: [layers.Conv1D(3, 2, strides=2, padding="causal", activation="tanh")]),
    case("conv1d_same_strided", lambda: [layers.Conv1D(3, 4, strides=3, padding="same")]),
    case("conv1d_valid_no_bias", lambda: [layers.Conv1D(2, 3, use_bias=False, activation="relu")]),
    case("max_pooling1d_same", lambda: [layers.MaxPooling1D(3, strides=2, padding="same")]),
    case("average_pooling1d_same", lambda: [layers.AveragePooling1D(3, strides=1, padding="same")]),
    case("average_pooling1d_valid", lambda: [layers.AveragePooling1D(2)]),
    case("global_average_pooling1d", lambda: [layers.GlobalAveragePooling1D()]),
    case("global_average_pooling1d_mask", lambda: [layers.GlobalAveragePooling1D()], mask=True),
    case("global_average_pooling1d_keepdims", lambda: [layers.GlobalAveragePooling1D(keepdims=True)]),
    case("global_max_pooling1d_keepdims", lambda: [layers.GlobalMaxPooling1D(keepdims=True)]),
    case("up_sampling1d", lambda: [layers.UpSampling1D(3)]),
    case("zero_padding1d", lambda: [layers.ZeroPadding1D((2, 1))]),
    case("cropping1d", lambda: [layers.Cropping1D((1, 2))]),
    case("embedding_mask_zero_average", lambda: [layers.Embedding(10, 4, mask_zero=True), layers.GlobalAveragePooling1D()], ids=True),
    case(
        "embedding_conv1d_global_max",
        lambda: [layers.Embedding(10, 4), layers.Conv1D(5, 3, padding="same", activation="relu"), layers.GlobalMaxPooling1D()],
        ids=True,
    ),
]


def layer_entry(layer):
    config = layer.get_config()
    config.pop("dtype", None)  # a DTypePolicy object, no part of the layer's arguments
    return {"class_name": layer.__class__.__name__, "config": config}


def run_case(spec, index):
    keras.backend.clear_session()
    rng = np.random.default_rng(1800 + index)
    chain = spec["make"]()
    if spec["ids"]:
        ids = rng.integers(1, 10, (BATCH, T))
        ids[0, 4:] = 0  # padding at the end
        ids[1, 1] = 0  # and in the middle
        x = ids.astype(np.float32)
    else:
        x = rng.normal(0, 1, (BATCH, T, CHANNELS)).astype(np.float32)
    shape = x.shape
    for layer in chain:
        layer.build(shape)
        shape = layer.compute_output_shape(shape)
    weights = []
    for layer in chain:
        for v in layer.weights:
            value = rng.uniform(-0.8, 0.8, tuple(v.shape)).astype(np.float32)
            v.assign(value)
            weights.append(value)
    mask = MASK.astype(bool) if spec["mask"] else None
    h = x.astype(np.int64) if spec["ids"] else x
    for layer in chain:
        out = layer(h, mask=mask) if mask is not None else layer(h)
        mask = layer.compute_mask(h, mask)
        h = out
    fixture = {"name": spec["name"], "layers": [layer_entry(layer) for layer in chain], "x": tensor_json(x)}
    if spec["mask"]:
        fixture["mask"] = tensor_json(MASK)
    fixture["weights"] = [tensor_json(w) for w in weights]
    fixture["y"] = tensor_json(np.asarray(h))
    return fixture


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_OUT
    os.makedirs(os.path.dirname(out), exist_ok=True)
    cases = [run_case(spec, i) for i, spec in enumerate(CASES)]
    doc = {"generated_by": f"keras {keras.__version__}, jax {jax.__version__} (scripts/keras-fixtures/sequence_layers_reference.py)", "cases": cases}
    with open(out, "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
