# Real Keras 3 on the other side of dendrite's `.keras` files (run by test/io/keras3-files.test.ts through
# test/keras/python.ts; scripts/keras-fixtures/make_keras3_fixtures.py commits the output of `make`):
#
#     python test/keras/keras3_files.py make OUT_DIR
#         Keras builds, trains (a few steps) and saves small models as OUT_DIR/<name>.keras, and writes
#         OUT_DIR/<name>.json: a fixed input, Keras' predictions, and one more training step on a fixed batch from
#         the saved state, with the predictions after it (so that the optimizer's state is checked, not only weights).
#     python test/keras/keras3_files.py check MODEL.keras IN.json OUT.json [RESAVED.keras]
#         Keras loads a `.keras` file (dendrite's), predicts on IN.json's inputs, saves the model again in its own
#         words as RESAVED.keras when asked (before training), and, when IN.json has a batch `train`, takes one
#         training step on it and predicts again; OUT.json gets the predictions, whether the model came compiled,
#         the optimizer's class and its iteration count.
#
# Tensors in the JSON files are {"shape": [...], "values": [...]}, flat in row-major order.
import json
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import layers  # noqa: E402


def tensor_json(a):
    a = np.asarray(a, dtype=np.float32)
    return {"shape": list(a.shape), "values": [float(v) for v in a.reshape(-1)]}


def from_json(t):
    return np.asarray(t["values"], dtype=np.float32).reshape(t["shape"])


def as_list(y):
    return list(y) if isinstance(y, (list, tuple)) else [y]


def one_of(xs):
    return xs if len(xs) > 1 else xs[0]


def sequential_cnn():
    model = keras.Sequential(
        [
            keras.Input((8, 8, 2)),
            layers.Conv2D(4, 3, padding="same", activation="relu"),
            layers.BatchNormalization(),
            layers.DepthwiseConv2D(3, depth_multiplier=2, padding="same"),
            layers.SeparableConv2D(5, 3, activation="relu"),
            layers.MaxPooling2D(2),
            layers.Flatten(),
            layers.Dense(3, activation="softmax"),
        ],
        name="sequential_cnn",
    )
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="categorical_crossentropy", metrics=["accuracy"])
    return model, [(8, 8, 2)], [3]


def nested_functional():
    mlp = keras.Sequential([keras.Input((6,)), layers.Dense(8, activation="relu"), layers.Dense(6, activation="tanh")], name="mlp_block")
    bi = keras.Input((6,))
    block = keras.Model(bi, layers.Add()([bi, layers.Dense(6, activation="relu")(bi)]), name="residual_block")
    shared = layers.Dense(6, name="shared_dense")
    inp = keras.Input((6,), name="x")
    h = block(mlp(shared(inp)))
    out = layers.Dense(4, activation="softmax", name="probs")(shared(h))
    model = keras.Model(inp, out, name="nested_functional")
    model.compile(optimizer=keras.optimizers.SGD(0.05, momentum=0.9), loss="categorical_crossentropy")
    return model, [(6,)], [4]


def two_in_two_out():
    a = keras.Input((5,), name="features_a")
    b = keras.Input((3,), name="features_b")
    h = layers.Concatenate()([layers.Dense(6, activation="relu", name="dense_a")(a), layers.Dense(6, activation="tanh", name="dense_b")(b)])
    h = layers.LayerNormalization()(h)
    score = layers.Dense(1, activation="sigmoid", name="score")(h)
    cls = layers.Dense(3, activation="softmax", name="cls")(h)
    model = keras.Model([a, b], [score, cls], name="two_in_two_out")
    model.compile(optimizer=keras.optimizers.RMSprop(0.01, momentum=0.5), loss=["binary_crossentropy", "categorical_crossentropy"])
    return model, [(5,), (3,)], [1, 3]


def targets(rng, sizes, n):
    out = []
    for size in sizes:
        if size == 1:
            out.append(rng.integers(0, 2, (n, 1)).astype("float32"))
        else:
            out.append(np.eye(size, dtype="float32")[rng.integers(0, size, n)])
    return out


def make(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    for build in (sequential_cnn, nested_functional, two_in_two_out):
        keras.utils.set_random_seed(3)
        rng = np.random.default_rng(3)
        model, input_shapes, output_sizes = build()
        n = 8
        xs = [rng.normal(0, 1, (n, *s)).astype("float32") for s in input_shapes]
        model.fit(one_of(xs), one_of(targets(rng, output_sizes, n)), batch_size=4, epochs=1, shuffle=False, verbose=0)
        path = os.path.join(out_dir, f"{model.name}.keras")
        model.save(path)
        x_in = [rng.normal(0, 1, (2, *s)).astype("float32") for s in input_shapes]
        y = as_list(model.predict(one_of(x_in), verbose=0))
        x_step = [rng.normal(0, 1, (4, *s)).astype("float32") for s in input_shapes]
        y_step = targets(rng, output_sizes, 4)
        model.train_on_batch(one_of(x_step), one_of(y_step))
        y_after = as_list(model.predict(one_of(x_in), verbose=0))
        expected = {
            "keras_version": keras.__version__,
            "backend": keras.backend.backend(),
            "x": [tensor_json(a) for a in x_in],
            "y": [tensor_json(a) for a in y],
            "train": {"x": [tensor_json(a) for a in x_step], "y": [tensor_json(a) for a in y_step]},
            "y_after_step": [tensor_json(a) for a in y_after],
        }
        with open(os.path.join(out_dir, f"{model.name}.json"), "w") as f:
            json.dump(expected, f)


def check(model_path, in_path, out_path, resaved_path=None):
    model = keras.saving.load_model(model_path)
    with open(in_path) as f:
        given = json.load(f)
    xs = [from_json(t) for t in given["x"]]
    out = {
        "y": [tensor_json(a) for a in as_list(model.predict(one_of(xs), verbose=0))],
        "compiled": bool(model.compiled),
        "optimizer": type(model.optimizer).__name__ if model.optimizer is not None else None,
        "iterations": int(np.asarray(model.optimizer.iterations)) if model.optimizer is not None else None,
        "layers": [type(layer).__name__ for layer in model.layers],
    }
    if resaved_path is not None:
        model.save(resaved_path)
    if "train" in given:
        tx = [from_json(t) for t in given["train"]["x"]]
        ty = [from_json(t) for t in given["train"]["y"]]
        model.train_on_batch(one_of(tx), one_of(ty))
        out["y_after_step"] = [tensor_json(a) for a in as_list(model.predict(one_of(xs), verbose=0))]
    with open(out_path, "w") as f:
        json.dump(out, f)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "make":
        make(sys.argv[2])
    elif len(sys.argv) in (5, 6) and sys.argv[1] == "check":
        check(*sys.argv[2:])
    else:
        sys.exit("usage: keras3_files.py make OUT_DIR | check MODEL.keras IN.json OUT.json [RESAVED.keras]")
