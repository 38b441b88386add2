# Writes the model-file fixtures of issue 16, each with Keras' predictions on a small fixed input (expected.json,
# as in make_graph_fixtures.py):
#
# test/fixtures/keras2-converted/keras215-cnn/
#     A small CNN in the layout the tensorflowjs converter (4.17) writes from a Keras 2.15 .h5 file: the
#     `model_config` wrapper, a Sequential whose first entry is an InputLayer, Keras 2.15's layer configs
#     (initializers with module and registered_name), the `training_config` inside the topology with
#     `Custom>Adam` and Keras 2's `[[MeanMetricWrapper]]` metrics, keras_version "2.15.0", backend "tensorflow",
#     one shard `group1-shard1of1.bin` with the weights in the converter's order (the .h5 file's groups, sorted by
#     layer name), one-line JSON as the converter's json.dumps writes it. Keras 2.15 (`tf_keras`) cannot be
#     installed here, so the topology is written out below field by field after real converted files (Keras 2.12
#     and 2.15 files published in public repositories); the layers compute the same in Keras 3, which makes the
#     weights and the predictions.
# test/fixtures/keras2-converted/keras215-cnn-{float16,uint8,uint16}/
#     The same model as the converter writes it with --quantize_float16 / --quantize_uint8 / --quantize_uint16:
#     each weight quantised by the converter's own rules (quantization.py: float16 by numpy's astype, uint8/uint16
#     affine with the zero point nudged onto a whole number), the manifest entry keeping dtype float32 with
#     `quantization: {dtype, [min, scale,] original_dtype}`. Their expected.json is Keras' prediction with the
#     dequantised weights (value = q * scale + min, as TF.js decodes it).
# test/fixtures/keras3-files/activations/
#     A Keras 3 Sequential (`to_json()` as modelTopology, manifest names by variable path, as make_graph_fixtures.py)
#     with a DepthwiseConv2D (whose weight Keras 3 calls `kernel`, TF.js `depthwise_kernel`) and activations stored
#     as layer objects (ReLU with max_value, ReLU with negative_slope and threshold, LeakyReLU with negative_slope)
#     and as a serialised function (keras.saving.serialize_keras_object(keras.activations.relu), put in by hand:
#     Keras 3.15 itself writes a built-in activation as its name).
#
# The output is committed, so the tests need no Python. To regenerate (from the repository root):
#
#     KERAS_BACKEND=tensorflow .venv-keras/bin/python scripts/keras-fixtures/make_model_file_fixtures.py
#
# (.venv-keras is set up as in make_graph_fixtures.py.) Last run with Python 3.11.7, keras 3.15.1, tensorflow-cpu
# 2.21.0. The keras3-files JSON is then formatted with the repository's Biome (npx biome format --write); the
# keras2-converted folder is kept as the converter writes it (Biome skips it).
import json
import os
import shutil

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import layers  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FIXTURES = os.path.join(ROOT, "test", "fixtures")


def tensor_json(name, a):
    a = np.asarray(a, dtype="float32")
    return {"name": name, "shape": list(a.shape), "values": [float(v) for v in a.reshape(-1)]}


def write(folder, files):
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    for name, data in files.items():
        mode = "wb" if isinstance(data, (bytes, bytearray)) else "w"
        with open(os.path.join(folder, name), mode) as f:
            f.write(data)


# --- Keras 2.15, as the tensorflowjs converter writes it -------------------------------------------------------


def k2_initializer(class_name):
    config = {"seed": None} if class_name == "GlorotUniform" else {}
    return {"module": "keras.initializers", "class_name": class_name, "config": config, "registered_name": None}


def k2_kernel_layer(extra):
    return {
        **extra,
        "use_bias": True,
        "kernel_initializer": k2_initializer("GlorotUniform"),
        "bias_initializer": k2_initializer("Zeros"),
        "kernel_regularizer": None,
        "bias_regularizer": None,
        "activity_regularizer": None,
        "kernel_constraint": None,
        "bias_constraint": None,
    }


def keras215_topology(input_shape):
    batch_shape = [None, *input_shape]
    base = lambda name: {"name": name, "trainable": True, "dtype": "float32"}  # noqa: E731
    conv = {
        **base("conv2d"),
        "batch_input_shape": batch_shape,
        "filters": 4,
        "kernel_size": [3, 3],
        "strides": [1, 1],
        "padding": "valid",
        "data_format": "channels_last",
        "dilation_rate": [1, 1],
        "groups": 1,
        "activation": "relu",
    }
    layers_config = [
        {"class_name": "InputLayer", "config": {"batch_input_shape": batch_shape, "dtype": "float32", "sparse": False, "ragged": False, "name": "conv2d_input"}},
        {"class_name": "Conv2D", "config": k2_kernel_layer(conv)},
        {"class_name": "MaxPooling2D", "config": {**base("max_pooling2d"), "pool_size": [2, 2], "padding": "valid", "strides": [2, 2], "data_format": "channels_last"}},
        {"class_name": "Flatten", "config": {**base("flatten"), "data_format": "channels_last"}},
        {"class_name": "Dense", "config": k2_kernel_layer({**base("dense"), "units": 8, "activation": "relu"})},
        {"class_name": "Dropout", "config": {**base("dropout"), "rate": 0.25, "noise_shape": None, "seed": None}},
        {"class_name": "Dense", "config": k2_kernel_layer({**base("dense_1"), "units": 3, "activation": "softmax"})},
    ]
    training_config = {
        "loss": "categorical_crossentropy",
        "metrics": [[{"class_name": "MeanMetricWrapper", "config": {"name": "accuracy", "dtype": "float32", "fn": "categorical_accuracy"}}]],
        "weighted_metrics": None,
        "loss_weights": None,
        "optimizer_config": {
            "class_name": "Custom>Adam",
            "config": {
                "name": "Adam",
                "weight_decay": None,
                "clipnorm": None,
                "global_clipnorm": None,
                "clipvalue": None,
                "use_ema": False,
                "ema_momentum": 0.99,
                "ema_overwrite_frequency": None,
                "jit_compile": False,
                "is_legacy_optimizer": False,
                "learning_rate": 0.0010000000474974513,
                "beta_1": 0.9,
                "beta_2": 0.999,
                "epsilon": 1e-07,
                "amsgrad": False,
            },
        },
    }
    return {
        "keras_version": "2.15.0",
        "backend": "tensorflow",
        "model_config": {"class_name": "Sequential", "config": {"name": "sequential", "layers": layers_config}},
        "training_config": training_config,
    }


def affine_range(min_val, max_val, dtype):
    """quantization.py's _get_affine_quantization_range: the zero point nudged onto a whole number."""
    quant_max = np.iinfo(dtype).max
    scale = (max_val - min_val) / quant_max
    if min_val <= 0 <= max_val:
        nudged_zero_point = np.round((0 - min_val) / scale)
        nudged_min = -nudged_zero_point * scale
        nudged_max = quant_max * scale + nudged_min
    else:
        nudged_min, nudged_max = min_val, max_val
    return scale, nudged_min, nudged_max


def quantize(data, dtype_name):
    """quantization.py's quantize_weights: the stored values and the manifest's quantization entry."""
    if dtype_name == "float16":
        return data.astype(np.float16), {"dtype": "float16", "original_dtype": "float32"}
    dtype = np.uint8 if dtype_name == "uint8" else np.uint16
    min_val = data.min().astype(np.float64)
    max_val = data.max().astype(np.float64)
    if min_val == max_val:
        return np.zeros_like(data, dtype=dtype), {"dtype": dtype_name, "min": float(min_val), "scale": 1.0, "original_dtype": "float32"}
    scale, min_val, max_val = affine_range(min_val, max_val, dtype)
    q = np.round((data.clip(min_val, max_val) - min_val) / scale).astype(dtype)
    return q, {"dtype": dtype_name, "min": float(min_val), "scale": float(scale), "original_dtype": "float32"}


def dequantize(q, meta):
    """How TF.js decodes a quantised float32 weight (io_utils.ts decodeWeight)."""
    if meta["dtype"] == "float16":
        return q.astype(np.float32)
    return (q.astype(np.float64) * meta["scale"] + meta["min"]).astype(np.float32)


def keras215_cnn():
    keras.backend.clear_session()
    keras.utils.set_random_seed(215)
    input_shape = (8, 8, 1)
    model = keras.Sequential(
        [
            keras.Input(input_shape),
            layers.Conv2D(4, 3, activation="relu", name="conv2d"),
            layers.MaxPooling2D(2, name="max_pooling2d"),
            layers.Flatten(name="flatten"),
            layers.Dense(8, activation="relu", name="dense"),
            layers.Dropout(0.25, name="dropout"),
            layers.Dense(3, activation="softmax", name="dense_1"),
        ]
    )
    rng = np.random.default_rng(215)
    for v in model.weights:
        if v.path.endswith("bias"):
            v.assign(rng.normal(0, 0.2, tuple(v.shape)).astype("float32"))
    x = rng.normal(0, 1, (3, *input_shape)).astype("float32")

    # the converter's order: the .h5 file's layer groups, sorted by name, each layer's weights in its order
    named = sorted(((v.path.split("/")[-2], i, v) for i, v in enumerate(model.weights)), key=lambda t: (t[0], t[1]))
    weights = [(f"{layer}/{v.path.split('/')[-1]}", np.asarray(v.numpy(), dtype="<f4"), v) for layer, _, v in named]

    for variant in ["float32", "float16", "uint8", "uint16"]:
        entries = []
        data = bytearray()
        for name, value, v in weights:
            entry = {"name": name, "shape": list(value.shape), "dtype": "float32"}
            if variant == "float32":
                stored = value
            else:
                stored, meta = quantize(value, variant)
                entry["quantization"] = meta
                v.assign(dequantize(stored, meta))
            entries.append(entry)
            data += stored.astype(stored.dtype.newbyteorder("<")).tobytes()
        model_json = {
            "format": "layers-model",
            "generatedBy": "keras v2.15.0",
            "convertedBy": "TensorFlow.js Converter v4.17.0",
            "modelTopology": keras215_topology(input_shape),
            "weightsManifest": [{"paths": ["group1-shard1of1.bin"], "weights": entries}],
        }
        y = model.predict(x, verbose=0)
        expected = {"inputs": [tensor_json("conv2d_input", x)], "outputs": [tensor_json("dense_1", y)]}
        name = "keras215-cnn" if variant == "float32" else f"keras215-cnn-{variant}"
        # the converter writes model.json with json.dumps' default separators, on one line
        write(
            os.path.join(FIXTURES, "keras2-converted", name),
            {"model.json": json.dumps(model_json), "group1-shard1of1.bin": bytes(data), "expected.json": json.dumps(expected, indent=2)},
        )
        for n, value, v in weights:
            v.assign(value)
        print(f"{name}: {len(entries)} weights, {len(data)} bytes, output {list(y.shape)}")


# --- Keras 3 ---------------------------------------------------------------------------------------------------


def keras3_activations():
    keras.backend.clear_session()
    keras.utils.set_random_seed(3)
    model = keras.Sequential(
        [
            keras.Input((6, 6, 2)),
            layers.DepthwiseConv2D(3, depth_multiplier=2, activation="relu"),
            layers.Conv2D(3, 1, activation=layers.ReLU(max_value=0.6)),
            layers.Conv2D(3, 1, activation=layers.ReLU(negative_slope=0.1, threshold=0.05)),
            layers.Flatten(),
            layers.Dense(6, activation=layers.LeakyReLU(negative_slope=0.2)),
            layers.Dense(5, activation="relu"),
            layers.Dense(4, activation="gelu"),
            layers.Dense(3, activation="softmax"),
        ],
        name="activations",
    )
    rng = np.random.default_rng(3)
    for v in model.weights:
        if v.path.endswith("bias"):
            v.assign(rng.normal(0, 0.2, tuple(v.shape)).astype("float32"))
    topology = json.loads(model.to_json())
    # Dense(5)'s activation as a serialised function, the form Keras' serialize_keras_object gives
    dense5 = next(entry for entry in topology["config"]["layers"] if entry["config"].get("units") == 5)
    dense5["config"]["activation"] = keras.saving.serialize_keras_object(keras.activations.relu)
    assert keras.layers.Dense.from_config(dense5["config"]).activation is keras.activations.relu
    topology["keras_version"] = keras.__version__
    topology["backend"] = keras.backend.backend()
    entries = []
    data = bytearray()
    for v in model.weights:
        value = np.asarray(v.numpy(), dtype="<f4")
        entries.append({"name": v.path, "shape": list(value.shape), "dtype": "float32"})
        data += value.tobytes()
    model_json = {
        "format": "layers-model",
        "generatedBy": f"keras v{keras.__version__}",
        "convertedBy": "dendrite scripts/keras-fixtures (converter layout)",
        "modelTopology": topology,
        "weightsManifest": [{"paths": ["weights.bin"], "weights": entries}],
    }
    x = rng.normal(0, 1, (3, 6, 6, 2)).astype("float32")
    y = model.predict(x, verbose=0)
    expected = {"inputs": [tensor_json("input_layer", x)], "outputs": [tensor_json(model.layers[-1].name, y)]}
    write(
        os.path.join(FIXTURES, "keras3-files", "activations"),
        {"model.json": json.dumps(model_json, indent=2), "weights.bin": bytes(data), "expected.json": json.dumps(expected, indent=2)},
    )
    print(f"keras3-files/activations: {[e['name'] for e in entries]}, output {list(y.shape)}")


if __name__ == "__main__":
    keras215_cnn()
    keras3_activations()
