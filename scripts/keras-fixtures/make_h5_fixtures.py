# Writes the legacy Keras `.h5` model fixtures of test/fixtures/keras-h5/: small models built, compiled and trained
# for two steps by real Keras 3 with fixed seeds, then saved with Keras' own `model.save("model.h5")` (the legacy
# HDF5 format: model_config and training_config as root attributes, model_weights/<layer>/ with weight_names,
# optimizer_weights), plus expected.json:
#
# - inputs / outputs: Keras' `predict` on a small fixed input, each with its name, shape and values;
# - next_step: one more `train_on_batch` on a fixed batch (x, y) from the saved state, and every weight after it
#   (by Keras variable path), so that a test can check that the optimizer state loaded from the file continues
#   training as Keras does.
#
# keras2_layout/model.h5 is not written by Keras: Keras 2 (tf.keras) does not install here. It is written with h5py
# the way Keras 2.15's `save_model_to_hdf5` lays a file out (byte-string attributes, a Keras 2 model_config with
# batch_input_shape and a list `axis`, weight names `dense/kernel:0`, the legacy optimizer's `Adam/dense/kernel/m:0`),
# with the weights of a Keras 3 model of the same layers, whose predictions are in its expected.json.
#
# test/io/keras-h5.test.ts loads them with dendrite. The output is committed, so the tests need no Python. To
# regenerate (from the repository root):
#
#     npm run setup:keras                    # Keras 3 on JAX in the git-ignored .venv-keras
#     KERAS_BACKEND=jax .venv-keras/bin/python scripts/keras-fixtures/make_h5_fixtures.py
#
# Last run with Python 3.11.7, keras 3.15.1, jax 0.10.2, h5py 3.16.0 (scripts/keras/requirements.txt). The JSON
# files are then formatted with the repository's Biome (npx biome format --write), so that `npm run lint` passes on
# them; the values are unchanged by it.
import json
import os
import shutil
import subprocess
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import h5py  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import layers  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "test", "fixtures", "keras-h5")


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


def cnn_bn():
    """A Sequential CNN with BatchNormalization, trained with Adam."""
    model = keras.Sequential(
        [
            keras.Input((6, 6, 2)),
            layers.Conv2D(4, 3, activation="relu"),
            layers.BatchNormalization(),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(3, activation="softmax"),
        ],
        name="cnn_bn",
    )
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="categorical_crossentropy", metrics=["accuracy"])
    return model, (6, 6, 2), 3


def nested_shared():
    """A functional model with a nested Sequential (BatchNormalization inside) and a layer called twice, trained with
    SGD with momentum. Keras lists the nested model's weights trainable first, dendrite layer by layer."""
    mlp = keras.Sequential([keras.Input((5,)), layers.Dense(6, activation="relu"), layers.BatchNormalization(), layers.Dense(5)], name="mlp")
    shared = layers.Dense(5, activation="tanh", name="shared")
    inp = keras.Input((5,), name="x")
    h = shared(inp)
    h = mlp(h)
    h = shared(h)  # the same layer (and weights) a second time
    out = layers.Dense(3, activation="softmax", name="probs")(h)
    model = keras.Model(inp, out, name="nested_shared")
    model.compile(optimizer=keras.optimizers.SGD(0.05, momentum=0.9), loss="categorical_crossentropy")
    return model, (5,), 3


MODELS = {"cnn_bn": cnn_bn, "nested_shared": nested_shared}


def keras2_dense(name, units, activation):
    return {
        "class_name": "Dense",
        "config": {
            "name": name,
            "trainable": True,
            "dtype": "float32",
            "units": units,
            "activation": activation,
            "use_bias": True,
            "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": None}},
            "bias_initializer": {"class_name": "Zeros", "config": {}},
            "kernel_regularizer": None,
            "bias_regularizer": None,
            "activity_regularizer": None,
            "kernel_constraint": None,
            "bias_constraint": None,
        },
    }


def keras2_batch_norm(name):
    init = lambda c: {"class_name": c, "config": {}}  # noqa: E731
    return {
        "class_name": "BatchNormalization",
        "config": {
            "name": name,
            "trainable": True,
            "dtype": "float32",
            "axis": [1],  # Keras 2 writes the axis list it normalised when built
            "momentum": 0.99,
            "epsilon": 0.001,
            "center": True,
            "scale": True,
            "beta_initializer": init("Zeros"),
            "gamma_initializer": init("Ones"),
            "moving_mean_initializer": init("Zeros"),
            "moving_variance_initializer": init("Ones"),
            "beta_regularizer": None,
            "gamma_regularizer": None,
            "beta_constraint": None,
            "gamma_constraint": None,
        },
    }


def write_keras2_layout(seed):
    """A Sequential MLP in Keras 2's `.h5` layout (see the top of this file), its values from Keras 3."""
    keras.backend.clear_session()
    keras.utils.set_random_seed(seed)
    rng = np.random.default_rng(seed)
    model = keras.Sequential([keras.Input((4,)), layers.Dense(8, activation="relu"), layers.BatchNormalization(), layers.Dense(3, activation="softmax")])
    randomize_offsets(model, rng)
    names = ["dense", "batch_normalization", "dense_1"]
    config = {
        "class_name": "Sequential",
        "config": {
            "name": "sequential",
            "layers": [
                {
                    "class_name": "InputLayer",
                    "config": {"batch_input_shape": [None, 4], "dtype": "float32", "sparse": False, "ragged": False, "name": "dense_input"},
                },
                keras2_dense(names[0], 8, "relu"),
                keras2_batch_norm(names[1]),
                keras2_dense(names[2], 3, "softmax"),
            ],
        },
    }
    optimizer = {
        "class_name": "Adam",
        "config": {"name": "Adam", "learning_rate": 0.001, "decay": 0.0, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-07, "amsgrad": False},
    }
    training = {"loss": "categorical_crossentropy", "metrics": ["accuracy"], "weighted_metrics": None, "loss_weights": None, "optimizer_config": optimizer}

    folder = os.path.join(OUT, "keras2_layout")
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    path = os.path.join(folder, "model.h5")
    with h5py.File(path, "w") as f:
        # as Keras 2's save_model_to_hdf5: strings as bytes (h5py stores them as fixed-length strings)
        f.attrs["keras_version"] = b"2.15.0"
        f.attrs["backend"] = b"tensorflow"
        f.attrs["model_config"] = json.dumps(config).encode("utf8")
        f.attrs["training_config"] = json.dumps(training).encode("utf8")
        weights = f.create_group("model_weights")
        weights.attrs["layer_names"] = np.asarray([n.encode("utf8") for n in names])
        weights.attrs["backend"] = b"tensorflow"
        weights.attrs["keras_version"] = b"2.15.0"
        slots = []
        for layer, name in zip(model.layers, names):
            group = weights.create_group(name)
            leaves = [v.path.split("/")[-1] for v in layer.weights]
            weight_names = [f"{name}/{leaf}:0" for leaf in leaves]
            group.attrs["weight_names"] = np.asarray([n.encode("utf8") for n in weight_names])
            for weight_name, v in zip(weight_names, layer.weights):
                group.create_dataset(weight_name, data=np.asarray(v.numpy(), dtype="float32"))
                if v.trainable:
                    slots.append((weight_name, v.shape))
        # the legacy TF 2 optimizer: its iteration count, then every m, then every v
        opt = f.create_group("optimizer_weights")
        opt_names = ["Adam/iter:0"] + [f"Adam/{n[:-2]}/{s}:0" for s in ("m", "v") for n, _ in slots]
        opt.attrs["weight_names"] = np.asarray([n.encode("utf8") for n in opt_names])
        opt.create_dataset(opt_names[0], data=np.int64(2))
        for name, (_, shape) in zip(opt_names[1:], slots + slots):
            opt.create_dataset(name, data=rng.normal(0, 0.01, shape).astype("float32"))

    x = rng.normal(0, 1, (3, 4)).astype("float32")
    y = model.predict(x, verbose=0)
    expected = {"keras_version": "2.15.0 layout", "inputs": [tensor_json("dense_input", x)], "outputs": [tensor_json("dense_1", y)]}
    with open(os.path.join(folder, "expected.json"), "w") as f:
        json.dump(expected, f, indent=2)
    print(f"keras2_layout: model.h5 {os.path.getsize(path)} bytes, outputs {list(y.shape)}")


def tensor_json(name, a):
    a = np.asarray(a, dtype=np.float32)
    return {"name": name, "shape": list(a.shape), "values": [float(v) for v in a.reshape(-1)]}


def one_hot(rng, n, classes):
    return np.eye(classes, dtype="float32")[rng.integers(0, classes, n)]


def write_fixture(name, make, seed):
    keras.backend.clear_session()  # layer names (dense, dense_1, ...) count from 0 for each model
    keras.utils.set_random_seed(seed)
    model, input_shape, classes = make()
    rng = np.random.default_rng(seed)
    randomize_offsets(model, rng)
    # two steps of training, so that the file holds optimizer state (moments, momentum, an iteration count)
    x_train = rng.normal(0, 1, (8, *input_shape)).astype("float32")
    model.fit(x_train, one_hot(rng, 8, classes), batch_size=4, epochs=1, shuffle=False, verbose=0)

    folder = os.path.join(OUT, name)
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    model.save(os.path.join(folder, "model.h5"))

    x = rng.normal(0, 1, (3, *input_shape)).astype("float32")
    y = model.predict(x, verbose=0)
    # one more step from the saved state
    x_step = rng.normal(0, 1, (4, *input_shape)).astype("float32")
    y_step = one_hot(rng, 4, classes)
    model.train_on_batch(x_step, y_step)
    expected = {
        "keras_version": keras.__version__,
        "inputs": [tensor_json(model.inputs[0].name, x)],
        "outputs": [tensor_json(model.layers[-1].name, y)],
        "next_step": {
            "x": tensor_json("x", x_step),
            "y": tensor_json("y", y_step),
            "weights": [tensor_json(v.path, v.numpy()) for v in model.weights],
        },
    }
    with open(os.path.join(folder, "expected.json"), "w") as f:
        json.dump(expected, f, indent=2)
    size = os.path.getsize(os.path.join(folder, "model.h5"))
    print(f"{name}: {len(model.layers)} layers, {len(model.weights)} weights, model.h5 {size} bytes, outputs {list(y.shape)}")


def main():
    for i, (name, make) in enumerate(MODELS.items()):
        write_fixture(name, make, seed=2000 + i)
    write_keras2_layout(seed=2100)
    try:
        subprocess.run(["npx", "biome", "format", "--write", OUT], cwd=ROOT, check=True)
    except (OSError, subprocess.CalledProcessError) as error:
        print(f"could not format the JSON with Biome ({error}); run: npx biome format --write {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
