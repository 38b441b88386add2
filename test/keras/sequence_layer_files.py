# Keras 3 files of the 1-D sequence layers (issue 18), for test/io/keras-sequence-layers.test.ts:
#
#     python test/keras/sequence_layer_files.py OUT_DIR
#
# Keras builds two Sequential models with seeded random weights, a masked text model (Embedding(mask_zero) ->
# Dense -> GlobalAveragePooling1D -> Dense) and one of every 1-D layer (causal dilated Conv1D, the poolings,
# UpSampling1D, ZeroPadding1D, Cropping1D, GlobalMaxPooling1D(keepdims)), saves each as OUT_DIR/<name>.keras and
# OUT_DIR/<name>.h5, and writes OUT_DIR/<name>.json: an input ({"shape", "values"}, ids as floats for the text
# model, some of them 0) and Keras' predictions.
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


def models():
    text = keras.Sequential(
        [layers.Input((10,)), layers.Embedding(30, 5, mask_zero=True), layers.Dense(4), layers.GlobalAveragePooling1D(), layers.Dense(2)],
        name="masked_text",
    )
    one_d = keras.Sequential(
        [
            layers.Input((12, 3)),
            layers.Conv1D(4, 3, padding="causal", dilation_rate=2, activation="relu"),
            layers.MaxPooling1D(2, padding="same"),
            layers.UpSampling1D(2),
            layers.ZeroPadding1D((1, 2)),
            layers.Cropping1D((2, 1)),
            layers.AveragePooling1D(3, strides=1, padding="same"),
            layers.Conv1D(2, 2, strides=2),
            layers.GlobalMaxPooling1D(keepdims=True),
            layers.Flatten(),
        ],
        name="one_d_layers",
    )
    return [(text, True), (one_d, False)]


def main(out):
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(0)
    for model, ids in models():
        for v in model.weights:
            v.assign(rng.uniform(-0.5, 0.5, v.shape).astype("float32"))
        shape = (3,) + tuple(model.inputs[0].shape[1:])
        if ids:
            x = rng.integers(1, 30, shape)
            x[0, 6:] = 0
            x[2, 3:] = 0
            x = x.astype("float32")
        else:
            x = rng.normal(0, 1, shape).astype("float32")
        model.save(os.path.join(out, f"{model.name}.keras"))
        model.save(os.path.join(out, f"{model.name}.h5"))
        with open(os.path.join(out, f"{model.name}.json"), "w") as f:
            json.dump({"x": tensor_json(x), "y": tensor_json(model.predict(x, verbose=0))}, f)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: sequence_layer_files.py OUT_DIR")
    main(sys.argv[1])
