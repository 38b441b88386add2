# Run by test/io/keras-h5.test.ts through test/keras/python.ts: real Keras 3 builds a small functional CNN (Conv2D,
# DepthwiseConv2D, whose kernel Keras 3 names `kernel` where dendrite says `depthwise_kernel`, SeparableConv2D,
# BatchNormalization, LayerNormalization), trains it for two steps with RMSprop, saves it with
# `model.save(OUT/model.h5)` and writes OUT/expected.json as scripts/keras-fixtures/make_h5_fixtures.py does:
# predictions on a fixed input and one more training step from the saved state.
#
#     KERAS_BACKEND=jax .venv-keras/bin/python test/keras/save_h5.py OUT_DIR [SEED]
import json
import os
import sys

import keras
import numpy as np
from keras import layers

out, seed = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 7
keras.utils.set_random_seed(seed)
rng = np.random.default_rng(seed)

inp = keras.Input((8, 8, 3), name="image")
x = layers.Conv2D(4, 3, padding="same", activation="relu")(inp)
# no bias before BatchNormalization, as usual: its gradient is ~0, and RMSprop would amplify the rounding noise
x = layers.DepthwiseConv2D(3, padding="same", depth_multiplier=2, use_bias=False)(x)
x = layers.BatchNormalization()(x)
x = layers.SeparableConv2D(6, 3, activation="relu")(x)
x = layers.GlobalAveragePooling2D()(x)
x = layers.LayerNormalization()(x)
out_layer = layers.Dense(3, activation="softmax", name="probs")
model = keras.Model(inp, out_layer(x), name="live_cnn")
model.compile(optimizer=keras.optimizers.RMSprop(0.01, momentum=0.5), loss="categorical_crossentropy", metrics=["accuracy"])


def one_hot(n):
    return np.eye(3, dtype="float32")[rng.integers(0, 3, n)]


def tensor_json(name, a):
    a = np.asarray(a, dtype=np.float32)
    return {"name": name, "shape": list(a.shape), "values": [float(v) for v in a.reshape(-1)]}


model.fit(rng.normal(0, 1, (8, 8, 8, 3)).astype("float32"), one_hot(8), batch_size=4, epochs=1, shuffle=False, verbose=0)
model.save(os.path.join(out, "model.h5"))
x_in = rng.normal(0, 1, (2, 8, 8, 3)).astype("float32")
y_out = model.predict(x_in, verbose=0)
x_step = rng.normal(0, 1, (4, 8, 8, 3)).astype("float32")
y_step = one_hot(4)
model.train_on_batch(x_step, y_step)
expected = {
    "keras_version": keras.__version__,
    "inputs": [tensor_json("image", x_in)],
    "outputs": [tensor_json("probs", y_out)],
    "next_step": {"x": tensor_json("x", x_step), "y": tensor_json("y", y_step), "weights": [tensor_json(v.path, v.numpy()) for v in model.weights]},
}
with open(os.path.join(out, "expected.json"), "w") as f:
    json.dump(expected, f)
print(f"saved {len(model.weights)} weights")
