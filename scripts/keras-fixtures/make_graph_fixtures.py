# Writes the Keras graph-model fixtures of test/fixtures/keras-graph/: small functional and nested models built by
# real Keras with fixed seeds, saved in the TensorFlow.js layers format as the tensorflowjs converter lays it out
# (model.json with the model's own to_json() as modelTopology, one weights.bin in manifest order), and Keras'
# predictions on a small fixed input (expected.json: each input and output with its name, shape and values, in the
# order of the file's input_layers and output_layers). test/io/keras-graph-files.test.ts loads them with dendrite.
#
# The output is committed, so the tests need no Python. To regenerate (from the repository root):
#
#     python3 -m venv .venv-keras            # git-ignored
#     .venv-keras/bin/pip install keras==3.15.1 tensorflow-cpu
#     KERAS_BACKEND=tensorflow .venv-keras/bin/python scripts/keras-fixtures/make_graph_fixtures.py
#
# Last run with Python 3.11.7, keras 3.15.1, tensorflow-cpu 2.21.0 (TensorFlow backend). The tensorflowjs
# converter itself does not install here, so its layout is written by this script. Keras 2 (`tf_keras`) could
# not be installed either, so there are no Keras 2 (list-style inbound_nodes) fixtures from this script.
#
# The JSON files are then formatted with the repository's Biome (npx biome format --write), so that
# `npm run lint` passes on them; the values are unchanged by it.
import json
import os
import shutil
import subprocess
import sys

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import layers  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "test", "fixtures", "keras-graph")


def randomize_offsets(model, rng):
    """Biases and BatchNormalization's statistics start at 0 / 1: give them other values, so that the test sees them load."""
    for v in model.weights:
        leaf = v.path.split("/")[-1]
        shape = tuple(v.shape)
        if leaf in ("bias", "beta", "moving_mean"):
            v.assign(rng.normal(0, 0.2, shape).astype("float32"))
        elif leaf == "gamma":
            v.assign(rng.uniform(0.5, 1.5, shape).astype("float32"))
        elif leaf == "moving_variance":
            v.assign(rng.uniform(0.5, 2.0, shape).astype("float32"))


def resnet_block():
    inp = keras.Input((8, 8, 3), name="image")
    x = layers.Conv2D(4, 3, padding="same")(inp)
    x = layers.BatchNormalization()(x)
    x = layers.ReLU()(x)
    x = layers.Conv2D(4, 3, padding="same")(x)
    shortcut = layers.Conv2D(4, 1)(inp)
    x = layers.Add()([x, shortcut])
    x = layers.ReLU()(x)
    x = layers.GlobalAveragePooling2D()(x)
    out = layers.Dense(5, activation="softmax")(x)
    return keras.Model(inp, out, name="resnet_block"), [(2, 8, 8, 3)]


def two_in_two_out():
    a = keras.Input((6,), name="features_a")
    b = keras.Input((4,), name="features_b")
    ha = layers.Dense(8, activation="relu", name="dense_a")(a)
    hb = layers.Dense(8, activation="tanh", name="dense_b")(b)
    c = layers.Concatenate(name="concat")([ha, hb])
    score = layers.Dense(1, activation="sigmoid", name="score")(c)
    cls = layers.Dense(3, activation="softmax", name="cls")(c)
    return keras.Model([a, b], [score, cls], name="two_in_two_out"), [(3, 6), (3, 4)]


def nested():
    mlp = keras.Sequential([keras.Input((6,)), layers.Dense(8, activation="relu"), layers.Dense(6, activation="relu")], name="mlp_block")
    bi = keras.Input((6,))
    bo = layers.Add()([bi, layers.Dense(6, activation="tanh")(bi)])
    block = keras.Model(bi, bo, name="residual_block")
    shared = layers.Dense(6, name="shared_dense")
    inp = keras.Input((6,), name="x")
    h = shared(inp)
    h = mlp(h)
    h = block(h)
    h = shared(h)  # the same layer (and weights) a second time
    out = layers.Dense(3, activation="softmax", name="probs")(h)
    return keras.Model(inp, out, name="nested"), [(3, 6)]


def unet_tiny():
    inp = keras.Input((8, 8, 2), name="image")
    c1 = layers.Conv2D(4, 3, padding="same", activation="relu")(inp)
    p = layers.MaxPooling2D()(c1)
    c2 = layers.Conv2D(8, 3, padding="same", activation="relu")(p)
    up = layers.UpSampling2D()(c2)
    tr = layers.Conv2DTranspose(4, 2, strides=2, padding="same")(c2)
    cat = layers.Concatenate()([c1, up, tr])
    out = layers.Conv2D(1, 1, activation="sigmoid", name="mask")(cat)
    return keras.Model(inp, out, name="unet_tiny"), [(2, 8, 8, 2)]


def nested_reused():
    """A nested Sequential and a nested functional model each called twice, the functional one's second call an output."""
    mlp = keras.Sequential([keras.Input((5,)), layers.Dense(7, activation="relu"), layers.Dense(5)], name="mlp_block")
    bi = keras.Input((5,))
    bo = layers.Multiply()([bi, layers.Dense(5, activation="sigmoid")(bi)])
    block = keras.Model(bi, bo, name="gate_block")
    inp = keras.Input((5,), name="x")
    h = mlp(block(inp))
    gated = block(h)
    out = mlp(gated)
    return keras.Model(inp, [gated, out], name="nested_reused"), [(3, 5)]


def dict_io():
    """Inputs and outputs given as dicts (Keras 3 writes input_layers and output_layers as objects keyed by name),
    in an order that is not alphabetical: Keras itself takes such a model's inputs and outputs only by name."""
    zeta = keras.Input((3,), name="zeta")
    alpha = keras.Input((2,), name="alpha")
    h = layers.Dense(6, activation="elu")(layers.Concatenate()([zeta, alpha]))
    value = layers.Dense(1, name="value")(h)
    logits = layers.Dense(4, name="logits")(h)
    return keras.Model({"zeta": zeta, "alpha": alpha}, {"value": value, "logits": logits}, name="dict_io"), [(3, 3), (3, 2)]


MODELS = {"resnet_block": resnet_block, "two_in_two_out": two_in_two_out, "nested": nested, "unet_tiny": unet_tiny, "nested_reused": nested_reused, "dict_io": dict_io}


def tensor_json(name, a):
    a = np.asarray(a, dtype=np.float32)
    return {"name": name, "shape": list(a.shape), "values": [float(v) for v in a.reshape(-1)]}


def write_fixture(name, make, seed):
    keras.backend.clear_session()  # layer names (dense, dense_1, ...) count from 0 for each model
    keras.utils.set_random_seed(seed)
    model, input_shapes = make()
    rng = np.random.default_rng(seed)
    randomize_offsets(model, rng)

    topology = json.loads(model.to_json())
    topology["keras_version"] = keras.__version__
    topology["backend"] = keras.backend.backend()
    weights = []
    data = bytearray()
    for v in model.weights:
        value = np.asarray(v.numpy(), dtype="<f4")
        weights.append({"name": v.path, "shape": list(value.shape), "dtype": "float32"})
        data += value.tobytes()
    model_json = {
        "format": "layers-model",
        "generatedBy": f"keras v{keras.__version__}",
        "convertedBy": "dendrite scripts/keras-fixtures (converter layout)",
        "modelTopology": topology,
        "weightsManifest": [{"paths": ["weights.bin"], "weights": weights}],
    }

    # inputs and outputs in the file's order (input_layers, output_layers), each with its name
    config = topology["config"]
    by_name = isinstance(config["input_layers"], dict)
    refs = config["input_layers"]
    input_names = list(refs) if by_name else [refs[0]] if isinstance(refs[0], str) else [r[0] for r in refs]
    inputs = [rng.normal(0, 1, shape).astype("float32") for shape in input_shapes]
    if by_name:
        outputs = model.predict(dict(zip(input_names, inputs)), verbose=0)
    else:
        outputs = model.predict(inputs if len(inputs) > 1 else inputs[0], verbose=0)
    if isinstance(outputs, dict):
        output_names = list(config["output_layers"])
        outputs = [outputs[k] for k in output_names]
    else:
        output_names = list(model.output_names)
        outputs = list(outputs) if isinstance(outputs, (list, tuple)) else [outputs]
    expected = {
        "inputs": [tensor_json(n, x) for n, x in zip(input_names, inputs)],
        "outputs": [tensor_json(n, y) for n, y in zip(output_names, outputs)],
    }

    folder = os.path.join(OUT, name)
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    with open(os.path.join(folder, "model.json"), "w") as f:
        json.dump(model_json, f, indent=2)
    with open(os.path.join(folder, "weights.bin"), "wb") as f:
        f.write(data)
    with open(os.path.join(folder, "expected.json"), "w") as f:
        json.dump(expected, f, indent=2)
    print(f"{name}: {len(model.layers)} layers, {len(weights)} weights ({len(data)} bytes), outputs {[list(np.shape(y)) for y in outputs]}")


def main():
    for i, (name, make) in enumerate(MODELS.items()):
        write_fixture(name, make, seed=1000 + i)
    try:
        subprocess.run(["npx", "biome", "format", "--write", OUT], cwd=ROOT, check=True)
    except (OSError, subprocess.CalledProcessError) as error:
        print(f"could not format the JSON with Biome ({error}); run: npx biome format --write {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
