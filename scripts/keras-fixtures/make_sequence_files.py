# Model files of sequence models (issue 18) for test/io/sequence-files.test.ts, each with Keras' predictions on a
# small fixed input (expected.json), under test/fixtures/sequence-files/:
#
#     text-lstm       Embedding(12, 4, mask_zero) -> LSTM(5) -> Dense(1, sigmoid), on padded word ids
#     text-lstm-hard-sigmoid      the same with recurrent_activation "hard_sigmoid", the default of Keras 2 before
#                     2.3 and common in old files: Keras 2's (and TF.js') clip(0.2 x + 0.5, 0, 1), not Keras 3's
#                     relu6(x + 3) / 6 (Keras 3 computes the predictions with that function given by hand); Keras
#                     2.15 layout only
#     bigru-tagger    Bidirectional(GRU(3, return_sequences)) -> TimeDistributed(Dense(2, softmax)), GRU reset_after
#                     (the Keras 2 and 3 default)
#     bigru-tagger-reset-before   the same with GRU(reset_after=False), the only GRU TF.js has
#     conv1d          Conv1D(4, 3, relu) -> MaxPooling1D(2) -> GlobalAveragePooling1D -> Dense(2)
#     simple-rnn      SimpleRNN(4) -> Dense(2)
#
# in two layouts:
#
# keras3-converted/<model>/
#     What the tensorflowjs converter 4.22.0 (`tensorflowjs_converter --input_format keras model.h5 out/`) writes
#     from the .h5 file Keras 3.15.1 saves (model.save("model.h5")): this script runs the converter's own code, its
#     keras_h5_conversion.h5_merged_saved_model_to_tfjs_format and write_artifacts, the two calls its
#     --input_format keras path makes (converter.py's dispatch_keras_h5_to_tfjs_layers_model_conversion, whose
#     module also imports tf_keras, which cannot be installed here). The converter's Python source is not a package
#     on this machine's index: set TFJS_CONVERTER to its tfjs-converter/python folder (tensorflow/tfjs at tag
#     tfjs-v4.22.0; it needs numpy, h5py, six and tensorflow, all in .venv-keras); without it these folders are left
#     as they are. Keras 3 configs (DTypePolicy objects, batch_shape) and weight names with the model's name in front
#     (sequential/lstm/lstm_cell/kernel): TF.js cannot read these files.
# keras215-converted/<model>/
#     The layout the converter writes from a Keras 2.15 .h5 file (keras_version 2.15.0, the model_config wrapper, an
#     InputLayer named <first layer>_input, Keras 2.15's configs with time_major and implementation, weights named as
#     Keras 2 names them, lstm/lstm_cell/kernel, bidirectional/forward_gru/gru_cell/kernel, time_distributed/kernel,
#     in one shard, layers sorted by name as the .h5 file's groups are), field by field after converted files
#     published in public repositories, as make_model_file_fixtures.py does for keras215-cnn: Keras 2.15 (tf_keras)
#     cannot be installed here. The same layers in Keras 3 make the weights and the predictions.
#
# scripts/keras-fixtures/make_tfjs_sequence_files.ts then loads each keras215-converted file in TF.js, adds TF.js'
# predictions to its expected.json and writes tfjs-written/<model>/ with TF.js' own model.save().
#
#     TFJS_CONVERTER=/path/to/tfjs/tfjs-converter/python .venv-keras/bin/python scripts/keras-fixtures/make_sequence_files.py
#     npx tsx scripts/keras-fixtures/make_tfjs_sequence_files.ts
#
# Last run with Python 3.11.7, keras 3.15.1 (JAX), h5py 3.16.0, tensorflow-cpu 2.21.0, the converter at tfjs-v4.22.0.
# The JSON this script writes is kept as written (Biome skips test/fixtures/sequence-files, as the converter's files).
import json
import os
import shutil
import sys
import tempfile
import types

os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import h5py  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import layers  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "test", "fixtures", "sequence-files")


def tensor_json(name, a):
    a = np.asarray(a, dtype=np.float32)
    return {"name": name, "shape": list(a.shape), "values": [float(str(v)) for v in a.reshape(-1)]}


def write(folder, files):
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    for name, data in files.items():
        mode = "wb" if isinstance(data, (bytes, bytearray)) else "w"
        with open(os.path.join(folder, name), mode) as f:
            f.write(data)


# --- the models ------------------------------------------------------------------------------------------------


def keras2_hard_sigmoid(x):
    """Keras 2's hard_sigmoid (and TF.js'): clip(0.2 x + 0.5, 0, 1)."""
    return keras.ops.clip(0.2 * x + 0.5, 0.0, 1.0)


def text_lstm(rng, recurrent_activation="sigmoid"):
    model = keras.Sequential(
        [
            keras.Input((7,), name="embedding_input"),
            layers.Embedding(12, 4, mask_zero=True, name="embedding"),
            layers.LSTM(5, recurrent_activation=recurrent_activation, name="lstm"),
            layers.Dense(1, activation="sigmoid", name="dense"),
        ],
        name="sequential",
    )
    ids = np.array(
        [
            [3, 7, 1, 9, 0, 0, 0],  # padded at the end
            [0, 0, 4, 11, 2, 5, 8],  # at the start
            [6, 2, 0, 10, 3, 0, 1],  # zeros in the middle are padding too
            [1, 2, 3, 4, 5, 6, 7],
        ],
        dtype=np.float32,
    )
    return model, ids


def bigru_tagger(rng, reset_after=True):
    model = keras.Sequential(
        [
            keras.Input((5, 3), name="bidirectional_input"),
            layers.Bidirectional(layers.GRU(3, return_sequences=True, reset_after=reset_after, name="gru"), name="bidirectional"),
            layers.TimeDistributed(layers.Dense(2, activation="softmax", name="dense"), name="time_distributed"),
        ],
        name="sequential",
    )
    return model, rng.normal(0, 1, (3, 5, 3)).astype(np.float32)


def conv1d(rng):
    model = keras.Sequential(
        [
            keras.Input((10, 3), name="conv1d_input"),
            layers.Conv1D(4, 3, activation="relu", name="conv1d"),
            layers.MaxPooling1D(2, name="max_pooling1d"),
            layers.GlobalAveragePooling1D(name="global_average_pooling1d"),
            layers.Dense(2, name="dense"),
        ],
        name="sequential",
    )
    return model, rng.normal(0, 1, (3, 10, 3)).astype(np.float32)


def simple_rnn(rng):
    model = keras.Sequential(
        [keras.Input((6, 3), name="simple_rnn_input"), layers.SimpleRNN(4, name="simple_rnn"), layers.Dense(2, name="dense")],
        name="sequential",
    )
    return model, rng.normal(0, 1, (3, 6, 3)).astype(np.float32)


# each model's function and the seed of its weights and input
MODELS = {
    "text-lstm": (text_lstm, 1818),
    "text-lstm-hard-sigmoid": (lambda rng: text_lstm(rng, recurrent_activation=keras2_hard_sigmoid), 1823),
    "bigru-tagger": (bigru_tagger, 1819),
    "bigru-tagger-reset-before": (lambda rng: bigru_tagger(rng, reset_after=False), 1820),
    "conv1d": (conv1d, 1821),
    "simple-rnn": (simple_rnn, 1822),
}


def make(name):
    keras.backend.clear_session()
    build, seed = MODELS[name]
    rng = np.random.default_rng(seed)
    model, x = build(rng)
    for v in model.weights:
        scale = 1.0 if v.path.endswith("embeddings") else 0.5
        v.assign(rng.uniform(-scale, scale, tuple(v.shape)).astype(np.float32))
    y = model.predict(x, verbose=0)
    first = model.layers[0].name
    expected = {
        "inputs": [tensor_json(f"{first}_input", x)],
        "outputs": [tensor_json(model.layers[-1].name, y)],
        "outputs_from": f"keras {keras.__version__} ({keras.backend.backend()})",
    }
    return model, expected


# --- the converter, from its own source -------------------------------------------------------------------------


def load_converter():
    """keras_h5_conversion from the converter's source (TFJS_CONVERTER), without converter.py's tf_keras import."""
    src = os.environ.get("TFJS_CONVERTER")
    if not src:
        return None
    for pkg, path in (("tensorflowjs", "tensorflowjs"), ("tensorflowjs.converters", "tensorflowjs/converters")):
        module = types.ModuleType(pkg)
        module.__path__ = [os.path.join(src, path)]  # the package without its __init__, which imports everything
        sys.modules[pkg] = module
    from tensorflowjs import version
    from tensorflowjs.converters import keras_h5_conversion

    return keras_h5_conversion, version.version


def keras3_converted(name, model, expected, converter):
    conversion, _ = converter
    with tempfile.TemporaryDirectory() as tmp:
        h5_path = os.path.join(tmp, "model.h5")
        model.save(h5_path)
        out = os.path.join(tmp, "out")
        os.makedirs(out)
        model_json, groups = conversion.h5_merged_saved_model_to_tfjs_format(h5py.File(h5_path, "r"))
        conversion.write_artifacts(model_json, groups, out)
        files = {f: open(os.path.join(out, f), "rb").read() for f in sorted(os.listdir(out))}
    files["model.json"] = files["model.json"].decode("utf8")
    files["expected.json"] = json.dumps(expected, indent=2)
    write(os.path.join(OUT, "keras3-converted", name), files)
    print(f"keras3-converted/{name}: {[w['name'] for w in json.loads(files['model.json'])['weightsManifest'][0]['weights']]}")


# --- the Keras 2.15 layout --------------------------------------------------------------------------------------


def k2_initializer(class_name, config):
    return {"module": "keras.initializers", "class_name": class_name, "config": config, "registered_name": None}


GLOROT = k2_initializer("GlorotUniform", {"seed": None})
ZEROS = k2_initializer("Zeros", {})
ORTHOGONAL = k2_initializer("Orthogonal", {"gain": 1.0, "seed": None})


def k2_base(layer):
    return {"name": layer.name, "trainable": True, "dtype": "float32"}


def k2_kernel_keys():
    return {
        "use_bias": True,
        "kernel_initializer": GLOROT,
        "bias_initializer": ZEROS,
        "kernel_regularizer": None,
        "bias_regularizer": None,
        "activity_regularizer": None,
        "kernel_constraint": None,
        "bias_constraint": None,
    }


def k2_dense(layer):
    c = layer.get_config()
    return {**k2_base(layer), "units": c["units"], "activation": c["activation"], **k2_kernel_keys()}


def k2_rnn(layer):
    """Keras 2.15's RNN.get_config: the RNN's own keys (time_major, no zero_output_for_mask unless True, no seed),
    then the cell's; LSTM and GRU add implementation 2, GRU reset_after."""
    c = layer.get_config()
    config = {
        **k2_base(layer),
        "return_sequences": c["return_sequences"],
        "return_state": c["return_state"],
        "go_backwards": c["go_backwards"],
        "stateful": False,
        "unroll": False,
        "time_major": False,
        "units": c["units"],
        "activation": c["activation"],
    }
    if "recurrent_activation" in c:
        keras2 = layer.cell.recurrent_activation is keras2_hard_sigmoid
        config["recurrent_activation"] = "hard_sigmoid" if keras2 else c["recurrent_activation"]
    config.update(
        {
            "use_bias": True,
            "kernel_initializer": GLOROT,
            "recurrent_initializer": ORTHOGONAL,
            "bias_initializer": ZEROS,
        }
    )
    if isinstance(layer, layers.LSTM):
        config["unit_forget_bias"] = True
    for key in ["kernel_regularizer", "recurrent_regularizer", "bias_regularizer", "activity_regularizer"]:
        config[key] = None
    for key in ["kernel_constraint", "recurrent_constraint", "bias_constraint"]:
        config[key] = None
    config["dropout"] = 0.0
    config["recurrent_dropout"] = 0.0
    if isinstance(layer, (layers.LSTM, layers.GRU)):
        config["implementation"] = 2
    if isinstance(layer, layers.GRU):
        config["reset_after"] = c["reset_after"]
    return config


def k2_nested(class_name, config):
    return {"module": "keras.layers", "class_name": class_name, "config": config, "registered_name": None}


def k2_layer(layer):
    """(class_name, config, weight names) of a layer as Keras 2.15 writes them."""
    n = layer.name
    if isinstance(layer, layers.Embedding):
        config = {
            **k2_base(layer),
            "input_dim": layer.input_dim,
            "output_dim": layer.output_dim,
            "embeddings_initializer": k2_initializer("RandomUniform", {"minval": -0.05, "maxval": 0.05, "seed": None}),
            "embeddings_regularizer": None,
            "activity_regularizer": None,
            "embeddings_constraint": None,
            "mask_zero": layer.mask_zero,
            "input_length": None,
        }
        return "Embedding", config, [f"{n}/embeddings"]
    if isinstance(layer, (layers.LSTM, layers.GRU, layers.SimpleRNN)):
        cell = {"LSTM": "lstm_cell", "GRU": "gru_cell", "SimpleRNN": "simple_rnn_cell"}[layer.__class__.__name__]
        return layer.__class__.__name__, k2_rnn(layer), [f"{n}/{cell}/{w}" for w in ("kernel", "recurrent_kernel", "bias")]
    if isinstance(layer, layers.Bidirectional):
        inner = layer.forward_layer
        inner_class = inner.__class__.__name__
        inner_config = k2_rnn(inner)
        inner_config["name"] = inner.name.removeprefix("forward_")
        config = {**k2_base(layer), "layer": k2_nested(inner_class, inner_config), "merge_mode": layer.merge_mode}
        cell = {"LSTM": "lstm_cell", "GRU": "gru_cell", "SimpleRNN": "simple_rnn_cell"}[inner_class]
        names = [f"{n}/{d}_{inner_config['name']}/{cell}/{w}" for d in ("forward", "backward") for w in ("kernel", "recurrent_kernel", "bias")]
        return "Bidirectional", config, names
    if isinstance(layer, layers.TimeDistributed):
        config = {**k2_base(layer), "layer": k2_nested("Dense", k2_dense(layer.layer))}
        return "TimeDistributed", config, [f"{n}/kernel", f"{n}/bias"]
    if isinstance(layer, layers.Dense):
        return "Dense", k2_dense(layer), [f"{n}/kernel", f"{n}/bias"]
    if isinstance(layer, layers.Conv1D):
        c = layer.get_config()
        config = {
            **k2_base(layer),
            "filters": c["filters"],
            "kernel_size": list(c["kernel_size"]),
            "strides": list(c["strides"]),
            "padding": c["padding"],
            "data_format": "channels_last",
            "dilation_rate": list(c["dilation_rate"]),
            "groups": 1,
            "activation": c["activation"],
            **k2_kernel_keys(),
        }
        return "Conv1D", config, [f"{n}/kernel", f"{n}/bias"]
    if isinstance(layer, layers.MaxPooling1D):
        c = layer.get_config()
        config = {**k2_base(layer), "strides": list(c["strides"]), "pool_size": list(c["pool_size"]), "padding": c["padding"], "data_format": "channels_last"}
        return "MaxPooling1D", config, []
    if isinstance(layer, layers.GlobalAveragePooling1D):
        return "GlobalAveragePooling1D", {**k2_base(layer), "data_format": "channels_last", "keepdims": False}, []
    raise ValueError(f"no Keras 2.15 layout for {layer.__class__.__name__}")


def keras215_converted(name, model, expected):
    entries = []
    per_layer = []
    batch_shape = [None, *model.inputs[0].shape[1:]]
    for i, layer in enumerate(model.layers):
        class_name, config, names = k2_layer(layer)
        if i == 0:
            config = {"name": config["name"], "trainable": True, "dtype": "float32", "batch_input_shape": batch_shape, **{k: v for k, v in config.items() if k not in ("name", "trainable", "dtype")}}
        entries.append({"class_name": class_name, "config": config})
        values = [np.asarray(v.numpy(), dtype="<f4") for v in layer.weights]
        assert len(values) == len(names), (layer.name, names, [v.path for v in layer.weights])
        per_layer.append((layer.name, list(zip(names, values))))
    first = model.layers[0].name
    input_layer = {"class_name": "InputLayer", "config": {"batch_input_shape": batch_shape, "dtype": "float32", "sparse": False, "ragged": False, "name": f"{first}_input"}}
    topology = {
        "keras_version": "2.15.0",
        "backend": "tensorflow",
        "model_config": {"class_name": "Sequential", "config": {"name": "sequential", "layers": [input_layer, *entries]}},
    }
    # the converter's order: the .h5 file's layer groups, sorted by name, each layer's weights in its order
    weights = [w for _, ws in sorted(per_layer, key=lambda t: t[0]) for w in ws]
    data = b"".join(v.tobytes() for _, v in weights)
    model_json = {
        "format": "layers-model",
        "generatedBy": "keras v2.15.0",
        "convertedBy": "TensorFlow.js Converter v4.17.0",
        "modelTopology": topology,
        "weightsManifest": [{"paths": ["group1-shard1of1.bin"], "weights": [{"name": n, "shape": list(v.shape), "dtype": "float32"} for n, v in weights]}],
    }
    write(
        os.path.join(OUT, "keras215-converted", name),
        {"model.json": json.dumps(model_json), "group1-shard1of1.bin": data, "expected.json": json.dumps(expected, indent=2)},
    )
    print(f"keras215-converted/{name}: {[n for n, _ in weights]}, {len(data)} bytes")


def main():
    converter = load_converter()
    if converter is None:
        print("TFJS_CONVERTER is not set: keras3-converted/ is left as it is")
    else:
        print(f"converter {converter[1]} from {os.environ['TFJS_CONVERTER']}")
    for name in MODELS:
        model, expected = make(name)
        keras215_converted(name, model, expected)
        if converter is not None and name not in ("bigru-tagger-reset-before", "text-lstm-hard-sigmoid"):
            keras3_converted(name, model, expected, converter)


if __name__ == "__main__":
    main()
