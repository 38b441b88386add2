# Reference values for dendrite's recurrent layers (issue 18), from Keras 3 on JAX: for each case a small layer
# (or a short chain: Masking or Embedding(mask_zero) before the recurrent layer) with seeded random weights, its
# inputs, outputs, and the gradients of L = sum_i sum(output_i * upstream_i) with respect to the input, the initial
# states and every weight (jax.grad through the layers' stateless_call). One JSON file per case in
# test/fixtures/recurrent/, read by test/nn/layers/recurrent-keras-reference.test.ts.
#
#     .venv-keras/bin/python scripts/keras-fixtures/recurrent_reference.py [OUT_DIR]
#
# OUT_DIR defaults to test/fixtures/recurrent; the test reruns the script into a temporary folder where Keras is
# installed and compares it with the committed files, so they cannot drift from Keras. (.venv-keras is set up by
# `npm run setup:keras`.) Last run with Python 3.11.7, keras 3.15.1, jax 0.10.2, torch 2.13.0+cpu; the committed
# JSON is then formatted with the repository's Biome (npx biome format --write test/fixtures/recurrent).
#
# Keras computes in float32, as dendrite does (on JAX, Keras 3.15 turns float64 RNN steps into float32: its
# result_type resolves a Python float to float32 unless the backend is TensorFlow). The PyTorch cross-check runs in
# float64 on the same float32 values, so it bounds Keras' float32 rounding too.
#
# Each file:
#     layers:   [{class_name, config (Keras' get_config), options (dendrite's factory options)}], applied in order;
#               for a Bidirectional, options.layer is the wrapped layer's {class_name, options}
#     inputs:   x (for an Embedding: integer ids, given as floats), mask (a float 1/0 [batch, T] passed with x when
#               no layer makes one), initial_state (a list, passed to the recurrent layer)
#     weights:  every layer's weights in order, each layer's in Keras' order (kernel, recurrent_kernel, bias;
#               a Bidirectional's forward layer then its backward layer), named by Keras' variable path, in Keras'
#               layout, which is dendrite's
#     outputs:  the layer's outputs (one, or [sequence or last output, *states] with return_state); upstream: one
#               per output
#     grads:    x (absent for an Embedding's integer input), initial_state, weights (same order as weights)
#
# With PyTorch importable (PYTHONPATH=/tmp/torch213 after `pip install --no-deps --target /tmp/torch213
# torch-2.13.0+cpu-....whl`), the LSTM and GRU cases without masks are also run through torch.nn.LSTM / torch.nn.GRU
# with the weights converted between the layouts (see to_torch_lstm / to_torch_gru), and the outputs and gradients
# are asserted equal (to Keras' float32 rounding): the conversion is understood. Without PyTorch that cross-check is skipped with a note.
import json
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
DEFAULT_OUT = os.path.join(ROOT, "test", "fixtures", "recurrent")

BATCH, T, FEATURES = 3, 5, 3


def tensor_json(a, name=None):
    """float32 values in their shortest decimal form (Math.fround of the number read back gives the same float32)."""
    a = np.asarray(a, dtype=np.float32)
    out = {"shape": list(a.shape), "values": [float(str(v)) for v in a.reshape(-1)]}
    return {"name": name, **out} if name is not None else out


def f32(a):
    return np.asarray(a, dtype=np.float32)


# --- the cases -------------------------------------------------------------------------------------------------


def rnn_options(layer):
    """dendrite's factory options for a Keras recurrent layer (camelCase names of the same arguments)."""
    c = layer.get_config()
    options = {
        "units": c["units"],
        "activation": c["activation"],
        "useBias": c["use_bias"],
        "returnSequences": c["return_sequences"],
        "returnState": c["return_state"],
        "goBackwards": c["go_backwards"],
    }
    if "recurrent_activation" in c:
        options["recurrentActivation"] = c["recurrent_activation"]
    if "reset_after" in c:
        options["resetAfter"] = c["reset_after"]
    return options


def layer_entry(layer):
    if isinstance(layer, layers.Bidirectional):
        inner = layer.forward_layer
        options = {"layer": {"class_name": inner.__class__.__name__, "options": rnn_options(inner)}, "mergeMode": layer.merge_mode}
    elif isinstance(layer, layers.Masking):
        options = {"maskValue": layer.mask_value}
    elif isinstance(layer, layers.Embedding):
        options = {"inputDim": layer.input_dim, "outputDim": layer.output_dim, "maskZero": layer.mask_zero}
    else:
        options = rnn_options(layer)
    config = layer.get_config()
    config.pop("dtype", None)  # a DTypePolicy object, no part of the layer's arguments
    return {"class_name": layer.__class__.__name__, "config": config, "options": options}


def case(name, make, *, mask=None, initial_state=None, embedding_ids=False, note=None):
    return {"name": name, "make": make, "mask": mask, "initial_state": initial_state, "embedding_ids": embedding_ids, "note": note}


# mask: 1 for a real step, 0 for padding; rows padded at the end, at the start, and one in the middle
MASK = np.array([[1, 1, 1, 0, 0], [0, 1, 1, 1, 1], [1, 1, 0, 1, 1]], dtype=np.float32)


def states(*units):
    return lambda rng: [f32(rng.normal(0, 0.5, (BATCH, u))) for u in units]


CASES = [
    case("simple_rnn_last", lambda: [layers.SimpleRNN(4)]),
    case("simple_rnn_sequences", lambda: [layers.SimpleRNN(4, return_sequences=True)]),
    case("simple_rnn_backwards_sequences", lambda: [layers.SimpleRNN(3, return_sequences=True, go_backwards=True)]),
    case("simple_rnn_relu_no_bias", lambda: [layers.SimpleRNN(3, activation="relu", use_bias=False, return_sequences=True)]),
    case("simple_rnn_mask_sequences", lambda: [layers.SimpleRNN(3, return_sequences=True)], mask=MASK),
    case("simple_rnn_initial_state", lambda: [layers.SimpleRNN(3, return_sequences=True)], initial_state=states(3)),
    case("lstm_last", lambda: [layers.LSTM(3)]),
    case("lstm_sequences", lambda: [layers.LSTM(3, return_sequences=True)]),
    case("lstm_backwards_last", lambda: [layers.LSTM(2, go_backwards=True)]),
    case("lstm_backwards_sequences", lambda: [layers.LSTM(3, return_sequences=True, go_backwards=True)]),
    case("lstm_return_state", lambda: [layers.LSTM(3, return_sequences=True, return_state=True)]),
    case("lstm_initial_state", lambda: [layers.LSTM(3, return_sequences=True)], initial_state=states(3, 3)),
    case(
        "lstm_mask_sequences",
        lambda: [layers.LSTM(3, return_sequences=True)],
        mask=MASK,
        note="Keras 3 (zero_output_for_mask=False): at a masked step the output repeats the previous step's output "
        "(zeros before the first real step) and the states are carried over unchanged",
    ),
    case("lstm_mask_last", lambda: [layers.LSTM(3)], mask=MASK),
    case("lstm_mask_backwards_state", lambda: [layers.LSTM(3, go_backwards=True, return_state=True)], mask=MASK, initial_state=states(3, 3)),
    case("gru_last", lambda: [layers.GRU(3)]),
    case("gru_sequences", lambda: [layers.GRU(4, return_sequences=True)]),
    case("gru_backwards_sequences", lambda: [layers.GRU(3, return_sequences=True, go_backwards=True)]),
    case("gru_return_state", lambda: [layers.GRU(3, return_sequences=True, return_state=True)]),
    case("gru_initial_state", lambda: [layers.GRU(3, return_sequences=True)], initial_state=states(3)),
    case("gru_mask_sequences", lambda: [layers.GRU(3, return_sequences=True)], mask=MASK),
    case("gru_reset_before_last", lambda: [layers.GRU(3, reset_after=False)]),
    case("gru_reset_before_sequences", lambda: [layers.GRU(4, reset_after=False, return_sequences=True)]),
    case("gru_reset_before_backwards_state", lambda: [layers.GRU(3, reset_after=False, go_backwards=True, return_state=True)], initial_state=states(3)),
    case("gru_reset_before_mask_sequences", lambda: [layers.GRU(3, reset_after=False, return_sequences=True)], mask=MASK),
    case("bidirectional_lstm_concat_sequences", lambda: [layers.Bidirectional(layers.LSTM(3, return_sequences=True))]),
    case("bidirectional_lstm_concat_last", lambda: [layers.Bidirectional(layers.LSTM(3))]),
    case("bidirectional_lstm_sum_sequences", lambda: [layers.Bidirectional(layers.LSTM(3, return_sequences=True), merge_mode="sum")]),
    case("bidirectional_lstm_sum_last", lambda: [layers.Bidirectional(layers.LSTM(2), merge_mode="sum")]),
    case("bidirectional_lstm_initial_state", lambda: [layers.Bidirectional(layers.LSTM(2, return_sequences=True))], initial_state=states(2, 2, 2, 2)),
    case(
        "bidirectional_lstm_mask_sequences",
        lambda: [layers.Bidirectional(layers.LSTM(3, return_sequences=True))],
        mask=MASK,
        note="Bidirectional sets zero_output_for_mask=True on its layers when they return sequences: masked steps "
        "output zeros (unlike a plain LSTM)",
    ),
    case("bidirectional_gru_concat_sequences", lambda: [layers.Bidirectional(layers.GRU(2, return_sequences=True))]),
    case(
        "masking_lstm_sequences",
        lambda: [layers.Masking(0.0), layers.LSTM(3, return_sequences=True)],
        note="the input's padded steps (all features 0) make the mask; Masking also zeroes them",
    ),
    case("masking_simple_rnn_last", lambda: [layers.Masking(0.0), layers.SimpleRNN(3)]),
    case("embedding_mask_zero_gru_last", lambda: [layers.Embedding(7, 3, mask_zero=True), layers.GRU(3)], embedding_ids=True),
    case(
        "embedding_mask_zero_lstm_sequences",
        lambda: [layers.Embedding(7, 3, mask_zero=True), layers.LSTM(2, return_sequences=True)],
        embedding_ids=True,
    ),
]


# --- running a case --------------------------------------------------------------------------------------------


def build_case(spec, seed):
    keras.backend.clear_session()
    rng = np.random.default_rng(seed)
    chain = spec["make"]()
    if spec["embedding_ids"]:
        ids = rng.integers(1, 7, (BATCH, T))
        ids[0, 3:] = 0  # padding at the end
        ids[2, 0] = 0  # and at the start
        x = ids.astype(np.float32)
    else:
        x = f32(rng.normal(0, 1, (BATCH, T, FEATURES)))
        if isinstance(chain[0], layers.Masking):
            x[0, 3:] = 0
            x[1, :2] = 0
    initial_state = spec["initial_state"](rng) if spec["initial_state"] else None
    shape = x.shape
    for layer in chain:
        layer.build(shape)
        shape = layer.compute_output_shape(shape)
        if isinstance(shape, list):
            shape = shape[0]
    for layer in chain:
        for v in layer.weights:
            scale = 1.0 if isinstance(layer, layers.Embedding) else 0.6
            v.assign(f32(rng.uniform(-scale, scale, tuple(v.shape))))
    return chain, x, initial_state


def forward(chain, weight_values, x, mask, initial_state):
    """The chain's outputs as a function of its weights (stateless_call), the input and the initial states."""
    h = x.astype(np.int64) if isinstance(chain[0], layers.Embedding) else x
    offset = 0
    out = None
    for layer in chain:
        n = len(layer.trainable_variables)
        values = weight_values[offset : offset + n]
        offset += n
        is_rnn = not isinstance(layer, (layers.Masking, layers.Embedding))
        kwargs = {}
        if is_rnn:
            if mask is not None:
                kwargs["mask"] = mask
            if initial_state is not None:
                kwargs["initial_state"] = list(initial_state)
        fixed = [v.value for v in layer.non_trainable_variables]  # the dropout seed generators' state, unused
        out, _ = layer.stateless_call(values, fixed, h, **kwargs)
        if not is_rnn:
            mask = layer.compute_mask(h, None)
        h = out
    return list(out) if isinstance(out, (list, tuple)) else [out]


def run_case(spec, index):
    chain, x, initial_state = build_case(spec, seed=1800 + index)
    mask = None if spec["mask"] is None else spec["mask"].astype(bool)
    weight_values = [np.asarray(v.numpy(), dtype=np.float32) for layer in chain for v in layer.trainable_variables]
    names = [v.path for layer in chain for v in layer.trainable_variables]
    outputs = [np.asarray(o) for o in forward(chain, weight_values, x, mask, initial_state)]
    rng = np.random.default_rng(9000 + index)
    upstream = [f32(rng.uniform(-1, 1, o.shape)) for o in outputs]
    takes_x = not spec["embedding_ids"]

    def loss(ws, xx, states):
        outs = forward(chain, ws, xx if takes_x else x, mask, states)
        return sum(jax.numpy.sum(o * u) for o, u in zip(outs, upstream))

    gw, gx, gs = jax.grad(loss, argnums=(0, 1, 2))(weight_values, x, initial_state)
    fixture = {
        "name": spec["name"],
        "generated_by": f"keras {keras.__version__}, jax {jax.__version__}, float32 (scripts/keras-fixtures/recurrent_reference.py)",
        "layers": [layer_entry(layer) for layer in chain],
        "inputs": {"x": tensor_json(x)},
        "weights": [tensor_json(w, n) for n, w in zip(names, weight_values)],
        "outputs": [tensor_json(o) for o in outputs],
        "upstream": [tensor_json(u) for u in upstream],
        "grads": {"weights": [tensor_json(g, n) for n, g in zip(names, gw)]},
    }
    if spec["note"]:
        fixture["note"] = spec["note"]
    if spec["mask"] is not None:
        fixture["inputs"]["mask"] = tensor_json(spec["mask"])
    if initial_state is not None:
        fixture["inputs"]["initial_state"] = [tensor_json(s) for s in initial_state]
        fixture["grads"]["initial_state"] = [tensor_json(g) for g in gs]
    if takes_x:
        fixture["grads"]["x"] = tensor_json(gx)
    return fixture, (chain, x, initial_state, weight_values, outputs, upstream, gw, gx, gs)


# --- PyTorch cross-check ---------------------------------------------------------------------------------------


def to_torch_lstm(kernel, recurrent_kernel, bias, units):
    """Keras LSTM weights -> torch.nn.LSTM's. Keras: kernel [in, 4H], recurrent_kernel [H, 4H], bias [4H], gates
    i, f, c, o along the last axis (y = x @ kernel). PyTorch: weight_ih_l0 [4H, in] and weight_hh_l0 [4H, H]
    (y = x @ W.T), gates i, f, g, o (the same order: g is Keras' c), and two biases b_ih and b_hh that are added, so
    the Keras bias goes in b_ih and b_hh is zero."""
    return {"weight_ih_l0": kernel.T, "weight_hh_l0": recurrent_kernel.T, "bias_ih_l0": bias, "bias_hh_l0": np.zeros(4 * units)}


def to_torch_gru(kernel, recurrent_kernel, bias, units):
    """Keras GRU (reset_after=True, the default) -> torch.nn.GRU. Keras gates z, r, h; PyTorch r, z, n. Keras'
    reset_after bias is [2, 3H]: row 0 the input bias, row 1 the recurrent bias, which PyTorch has too (b_ih, b_hn
    inside r * (W_hn h + b_hn)): the same equation, so only the gate blocks move."""

    def reorder(a):  # blocks along the last axis: z, r, h -> r, z, h
        z, r, h = np.split(a, 3, axis=-1)
        return np.concatenate([r, z, h], axis=-1)

    return {
        "weight_ih_l0": reorder(kernel).T,
        "weight_hh_l0": reorder(recurrent_kernel).T,
        "bias_ih_l0": reorder(bias[0]),
        "bias_hh_l0": reorder(bias[1]),
    }


def from_torch_grad(converter, grads, units):
    """Maps torch's gradients back to Keras' layout (the conversion is linear: transposes and block moves)."""
    if converter is to_torch_lstm:
        return [grads["weight_ih_l0"].T, grads["weight_hh_l0"].T, grads["bias_ih_l0"]]

    def back(a):  # r, z, h -> z, r, h
        r, z, h = np.split(a, 3, axis=-1)
        return np.concatenate([z, r, h], axis=-1)

    return [back(grads["weight_ih_l0"].T), back(grads["weight_hh_l0"].T), np.stack([back(grads["bias_ih_l0"]), back(grads["bias_hh_l0"])])]


# Keras' float32 against PyTorch's float64 on the same values
TOL = {"rtol": 1e-5, "atol": 1e-6}


def torch_cross_check(spec, run):
    import torch

    chain, x, initial_state, weight_values, outputs, upstream, gw, gx, gs = run
    layer = chain[0]
    if len(chain) != 1 or spec["mask"] is not None or isinstance(layer, layers.Bidirectional):
        return False
    if isinstance(layer, layers.LSTM):
        converter, module = to_torch_lstm, torch.nn.LSTM
    elif isinstance(layer, layers.GRU) and layer.reset_after:
        converter, module = to_torch_gru, torch.nn.GRU
    else:
        return False
    units = layer.units
    net = module(FEATURES, units, batch_first=True).double()
    params = converter(*[np.asarray(w, dtype=np.float64) for w in weight_values], units)
    with torch.no_grad():
        for name, value in params.items():
            getattr(net, name).copy_(torch.from_numpy(np.ascontiguousarray(value)))
    x64 = x.astype(np.float64)
    xt = torch.tensor(x64[:, ::-1].copy() if layer.go_backwards else x64, requires_grad=True)
    lstm = isinstance(layer, layers.LSTM)
    if initial_state is not None:
        s = [torch.tensor(v[None].astype(np.float64), requires_grad=True) for v in initial_state]
    else:
        s = [torch.zeros(1, BATCH, units, dtype=torch.float64, requires_grad=True) for _ in range(2 if lstm else 1)]
    seq, final = net(xt, tuple(s) if lstm else s[0])
    final = final if lstm else (final,)
    # Keras' outputs: the sequence (in the order processed, reversed for go_backwards) or the last step, then states
    torch_outs = [seq if layer.return_sequences else seq[:, -1]]
    if layer.return_state:
        torch_outs += [f[0] for f in final]
    loss = sum((o * torch.from_numpy(u.astype(np.float64))).sum() for o, u in zip(torch_outs, upstream))
    loss.backward()
    for o, k in zip(torch_outs, outputs):
        np.testing.assert_allclose(o.detach().numpy(), k, **TOL)
    grads = {name: getattr(net, name).grad.numpy() for name in params}
    for g_t, g_k in zip(from_torch_grad(converter, grads, units), gw):
        np.testing.assert_allclose(g_t, np.asarray(g_k), **TOL)
    g_x = xt.grad.numpy()
    np.testing.assert_allclose(g_x[:, ::-1] if layer.go_backwards else g_x, np.asarray(gx), **TOL)
    if initial_state is not None:
        for a, b in zip(s, gs):
            np.testing.assert_allclose(a.grad.numpy()[0], np.asarray(b), **TOL)
    return True


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_OUT
    os.makedirs(out_dir, exist_ok=True)
    try:
        import torch  # noqa: F401

        have_torch = True
    except ImportError:
        have_torch = False
    checked = []
    for index, spec in enumerate(CASES):
        fixture, run = run_case(spec, index)
        if have_torch and torch_cross_check(spec, run):
            checked.append(spec["name"])
        with open(os.path.join(out_dir, f"{spec['name']}.json"), "w") as f:
            json.dump(fixture, f, indent=1)
            f.write("\n")
    print(f"{len(CASES)} cases written to {out_dir}")
    if have_torch:
        print(f"PyTorch {torch.__version__} (float64) agrees with Keras (float32) to rtol 1e-5, atol 1e-6 on {len(checked)} cases: {', '.join(checked)}")
    else:
        print("PyTorch not importable: the cross-check was skipped")


if __name__ == "__main__":
    main()
