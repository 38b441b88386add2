# Keras 3 files of the sequence wrappers (issue 18), for test/io/keras-sequence-wrappers.test.ts:
#
#     python test/keras/sequence_wrapper_files.py OUT_DIR
#
# Keras builds Sequential models with seeded random weights: a tagger (Embedding(mask_zero) -> Bidirectional(LSTM,
# return_sequences) -> TimeDistributed(Dense)), a masked classifier (Masking -> Bidirectional(LSTM, sum, sequences)
# -> Bidirectional(GRU, ave) -> Dense) and a Bidirectional with a backward layer of its own (backward_layer: an LSTM
# of other units' activation) with merge_mode mul; saves each as OUT_DIR/<name>.keras and OUT_DIR/<name>.h5, and
# writes OUT_DIR/<name>.json: a padded input ({"shape", "values"}; ids as floats, 0 for padding, or steps of zeros)
# and Keras' predictions (a masked step of a Bidirectional's sequences is zeros in Keras).
import json
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import layers  # noqa: E402

STEPS = 6


def tensor_json(a):
    a = np.asarray(a, dtype=np.float32)
    return {"shape": list(a.shape), "values": [float(v) for v in a.reshape(-1)]}


def models():
    tagger = keras.Sequential(
        [
            layers.Input((STEPS,)),
            layers.Embedding(20, 4, mask_zero=True),
            layers.Bidirectional(layers.LSTM(3, return_sequences=True)),
            layers.TimeDistributed(layers.Dense(2)),
        ],
        name="bilstm_tagger",
    )
    classifier = keras.Sequential(
        [
            layers.Input((STEPS, 3)),
            layers.Masking(),
            layers.Bidirectional(layers.LSTM(4, return_sequences=True), merge_mode="sum"),
            layers.Bidirectional(layers.GRU(3), merge_mode="ave"),
            layers.Dense(2),
        ],
        name="masked_classifier",
    )
    own_backward = keras.Sequential(
        [
            layers.Input((STEPS, 3)),
            layers.Bidirectional(
                layers.LSTM(3, return_sequences=True),
                backward_layer=layers.LSTM(3, activation="relu", return_sequences=True, go_backwards=True),
                merge_mode="mul",
            ),
            layers.TimeDistributed(layers.Dense(2, activation="tanh")),
        ],
        name="own_backward",
    )
    return [(tagger, True), (classifier, False), (own_backward, False)]


def main(out):
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(0)
    lengths = [6, 4, 1, 3]
    for model, ids in models():
        for v in model.weights:
            v.assign(rng.uniform(-0.6, 0.6, v.shape).astype("float32"))
        # padded at the end, the last sample at the start
        real = np.array([[t < n if b < 3 else t >= STEPS - n for t in range(STEPS)] for b, n in enumerate(lengths)])
        if ids:
            x = (rng.integers(1, 20, real.shape) * real).astype("float32")
        else:
            x = (rng.uniform(0.5, 1.5, real.shape + (3,)) * real[..., None]).astype("float32")
        model.save(os.path.join(out, f"{model.name}.keras"))
        model.save(os.path.join(out, f"{model.name}.h5"))
        with open(os.path.join(out, f"{model.name}.json"), "w") as f:
            json.dump({"x": tensor_json(x), "y": tensor_json(model.predict(x, verbose=0))}, f)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: sequence_wrapper_files.py OUT_DIR")
    main(sys.argv[1])
