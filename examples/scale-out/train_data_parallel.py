#!/usr/bin/env python3
"""Trains a Keras 3 `.keras` model data-parallel over every device JAX sees, with Keras' distribution API.

    KERAS_BACKEND=jax python examples/scale-out/train_data_parallel.py model.keras \
        --x x.npy --y y.npy --out trained.keras [--predict p.npy --predictions-out predictions.npy] \
        [--report report.json] [--epochs 2] [--batch-size 64] [--seed 42]

This is the Keras half of examples/scale-out (scale-out.ts is the dendrite half, README.md the road). The model
file can come from dendrite (`await model.save('model.keras')`) or from Keras itself; it must be compiled (the
file's training config names its loss and optimizer), or name them with --loss and --optimizer.

`keras.distribution.DataParallel` keeps one copy of every weight on each device and splits each batch between
them: with 2 devices and --batch-size 64, each device computes the gradients of 32 samples, the compiled step sums
them across the devices (an all-reduce XLA inserts), and every copy takes the same optimizer step. On one machine
without accelerators, `XLA_FLAGS=--xla_force_host_platform_device_count=2` makes JAX show two CPU devices; on a
machine with GPUs or TPUs `list_devices()` returns those instead.

Several machines: start this same command once per host with --coordinator HOST:PORT (process 0's address),
--num-processes N and --process-id I (or Keras' variables KERAS_DISTRIBUTION_JOB_ADDRESSES, _NUM_PROCESSES,
_PROCESS_ID). keras.distribution.initialize() joins the processes, each reads the same data files and trains on
every N-th row from its index (the global batch is split over the processes, then over each one's devices), and
process 0 writes the model, the predictions and the report. Checked with 2 processes on one machine (see
README.md); a real cluster also needs the port open between the hosts.

Data files are NumPy `.npy` files (format version 1.0 or 2.0, read with allow_pickle=False so that a data file
can never run code):
  --x        the inputs, float32 (float64 and integer arrays are converted), shape [samples, ...the model's input
             shape without the batch axis], e.g. [N, 28, 28, 1]
  --y        the targets, shape [samples] or [samples, ...]: int32/int64 class indices for a sparse
             cross-entropy, float32 for others
  --predict  inputs to predict with the saved model, same layout as --x; the predictions are saved as a float32
             `.npy` of shape [samples, ...the model's output shape]. They are the saved file's predictions on one
             device, what anyone who loads the file gets.

Every batch must split evenly over the devices (JAX refuses an uneven split): --batch-size must be a multiple of
the device count, and trailing training samples beyond a multiple of it are left out (and said so).

Nothing is downloaded; only several processes open connections (to the coordinator and between them).
load_model runs in Keras' safe mode: a file holding Python code (a Lambda layer's
bytecode) is refused. Exit status 0 on success, 2 for bad arguments or files (with a message), 1 otherwise.
"""

import argparse
import json
import os
import sys
import tempfile
import time

# The backend is chosen when Keras is first imported, so before that import; DataParallel here is written for JAX.
os.environ.setdefault("KERAS_BACKEND", "jax")


class UsageError(Exception):
    """A bad argument or input file: reported in one line, exit status 2."""


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description="Train a .keras model data-parallel with keras.distribution.DataParallel (JAX backend).",
        epilog="Data files are NumPy .npy arrays; see this file's header for their layout.",
    )
    parser.add_argument("model", help="the .keras file to train")
    parser.add_argument("--x", required=True, help="training inputs, .npy, [samples, ...input shape]")
    parser.add_argument("--y", required=True, help="training targets, .npy, [samples] or [samples, ...]")
    parser.add_argument("--out", required=True, help="where to save the trained model (a path ending in .keras)")
    parser.add_argument("--predict", help="inputs to predict after training, .npy, same layout as --x")
    parser.add_argument("--predictions-out", help="where to write the predictions of --predict (.npy, float32)")
    parser.add_argument("--report", help="where to write a JSON report (devices, losses, timings)")
    parser.add_argument("--epochs", type=int, default=2, help="default 2")
    parser.add_argument("--batch-size", type=int, default=64, help="global batch, split over the devices; default 64")
    parser.add_argument("--seed", type=int, default=42, help="seeds shuffling and any randomness in the layers; default 42")
    parser.add_argument("--learning-rate", type=float, help="replaces the optimizer's learning rate from the file")
    parser.add_argument("--loss", help="a Keras loss name, e.g. sparse_categorical_crossentropy (replaces the file's)")
    parser.add_argument("--optimizer", help="a Keras optimizer name, e.g. adam (replaces the file's)")
    parser.add_argument(
        "--device-type", choices=["cpu", "gpu", "tpu"], help="which devices to use; default GPUs or TPUs when present, else CPUs"
    )
    parser.add_argument("--expect-devices", type=int, help="fail unless exactly this many devices are found (all processes)")
    cluster = parser.add_argument_group(
        "several processes (one per host)",
        "run the same command on every host with its own --process-id; each reads the same data files and trains "
        "on its share of the rows (or set KERAS_DISTRIBUTION_JOB_ADDRESSES, _NUM_PROCESSES, _PROCESS_ID)",
    )
    cluster.add_argument("--coordinator", help="HOST:PORT of process 0, which every process connects to")
    cluster.add_argument("--num-processes", type=int, help="how many processes in all")
    cluster.add_argument("--process-id", type=int, help="this process's index, 0 to num-processes - 1; 0 writes the files")
    parser.add_argument("--quiet", action="store_true", help="print only errors")
    args = parser.parse_args(argv)
    if args.epochs < 1:
        parser.error(f"--epochs must be at least 1, got {args.epochs}")
    if args.batch_size < 1:
        parser.error(f"--batch-size must be at least 1, got {args.batch_size}")
    if (args.predict is None) != (args.predictions_out is None):
        parser.error("--predict and --predictions-out go together")
    if not args.out.endswith(".keras"):
        parser.error(f"--out must end in .keras (Keras 3 saves its zip archive only under that name), got {args.out!r}")
    return args


def load_array(np, path, what):
    """An .npy file as a NumPy array, without pickles; errors name the file and what it was for."""
    if not os.path.isfile(path):
        raise UsageError(f"{what}: no such file {path!r}")
    try:
        array = np.load(path, allow_pickle=False)
    except ValueError as error:  # object arrays (pickled) and malformed headers
        raise UsageError(f"{what}: {path!r} is not a plain numeric .npy file ({error})") from None
    except OSError as error:
        raise UsageError(f"{what}: cannot read {path!r} ({error})") from None
    if not isinstance(array, np.ndarray):
        raise UsageError(f"{what}: {path!r} is an .npz archive; give one .npy file per array")
    if array.dtype.kind not in "fiub":
        raise UsageError(f"{what}: {path!r} holds {array.dtype} values; expected numbers")
    if array.ndim == 0 or array.shape[0] == 0:
        raise UsageError(f"{what}: {path!r} has no samples (shape {array.shape})")
    return array


def check_inputs(model, x, what):
    """x as float32, with the model's input shape after the batch axis."""
    expected = tuple(model.input_shape[1:]) if not isinstance(model.input_shape, list) else None
    if expected is not None:
        actual = tuple(x.shape[1:])
        if len(actual) != len(expected) or any(e is not None and e != a for e, a in zip(expected, actual)):
            shown = ", ".join("None" if e is None else str(e) for e in expected)
            raise UsageError(
                f"{what} has shape {list(x.shape)}, but the model takes [batch, {shown}] "
                "(the first axis is the samples)"
            )
    return x.astype("float32", copy=False)


def shard(x, y, process, processes, local_devices):
    """This process's rows (every processes-th from its index), the same count in every process, a multiple of its devices."""
    count = (x.shape[0] // processes) // local_devices * local_devices
    return x[process::processes][:count], y[process::processes][:count]


def main(argv):
    args = parse_args(argv)
    started = time.perf_counter()

    if os.environ["KERAS_BACKEND"] != "jax":
        raise UsageError(
            f"KERAS_BACKEND={os.environ['KERAS_BACKEND']}: this script uses DataParallel on JAX; "
            "unset it or set KERAS_BACKEND=jax (README.md shows the TensorFlow and PyTorch routes)"
        )
    if not os.path.isfile(args.model):
        raise UsageError(f"model: no such file {args.model!r}")
    out_dir = os.path.dirname(os.path.abspath(args.out))
    if not os.path.isdir(out_dir):
        raise UsageError(f"--out: the folder {out_dir!r} does not exist")

    import jax
    import keras
    import numpy as np

    x = load_array(np, args.x, "--x")
    y = load_array(np, args.y, "--y")
    if x.shape[0] != y.shape[0]:
        raise UsageError(f"--x has {x.shape[0]} samples but --y has {y.shape[0]}")
    to_predict = load_array(np, args.predict, "--predict") if args.predict else None

    # Several processes (one per host): each runs this same script, and initialize() joins them before any
    # computation; from then on list_devices() gives every host's devices.
    processes = args.num_processes or int(os.environ.get("KERAS_DISTRIBUTION_NUM_PROCESSES", "1"))
    if processes > 1:
        # NOTE: CPU devices of different processes exchange gradients through Gloo, which JAX leaves off by default;
        # GPUs use NCCL and TPUs their own links whatever this says.
        jax.config.update("jax_cpu_collectives_implementation", "gloo")
        keras.distribution.initialize(args.coordinator, args.num_processes, args.process_id)
    process, processes = jax.process_index(), jax.process_count()
    lead = process == 0
    say = (lambda *a: print(*a, flush=True)) if lead and not args.quiet else (lambda *a: None)

    keras.utils.set_random_seed(args.seed)

    # The distribution must be set before the model is loaded: Keras gives each variable its layout (here: a full
    # copy on every device) when it creates the variable.
    devices = keras.distribution.list_devices(args.device_type)
    if args.expect_devices is not None and len(devices) != args.expect_devices:
        raise UsageError(
            f"found {len(devices)} device(s) {devices}, expected {args.expect_devices} "
            "(for CPU devices set XLA_FLAGS=--xla_force_host_platform_device_count=N before starting Python)"
        )
    if args.batch_size % len(devices) != 0:
        lower = args.batch_size - args.batch_size % len(devices)
        raise UsageError(
            f"--batch-size {args.batch_size} does not split evenly over {len(devices)} devices; "
            f"use a multiple of {len(devices)}, e.g. {max(lower, len(devices))} or {lower + len(devices)}"
        )
    # auto_shard_dataset=False: with several processes each one feeds its own rows (below); Keras would shard only a
    # tf.data.Dataset itself.
    distribution = keras.distribution.DataParallel(devices=devices, auto_shard_dataset=False)
    keras.distribution.set_distribution(distribution)
    say(
        f"devices: {len(devices)} ({', '.join(devices)}) in {processes} process(es), "
        f"keras {keras.__version__}, jax {jax.__version__}"
    )

    try:
        model = keras.saving.load_model(args.model)
    except Exception as error:  # Keras raises ValueError, TypeError, OSError... for bad archives
        raise UsageError(f"model: Keras cannot load {args.model!r}: {type(error).__name__}: {error}") from None

    if args.loss or args.optimizer or not model.compiled:
        loss = args.loss or (model.loss if model.compiled else None)
        optimizer = args.optimizer or (model.optimizer if model.compiled else None)
        if loss is None or optimizer is None:
            raise UsageError(
                f"{args.model!r} has no training config (the model was saved without compile); "
                "compile it before saving, or pass --loss and --optimizer"
            )
        metrics = ["accuracy"] if "categorical" in str(loss) else []
        model.compile(optimizer=optimizer, loss=loss, metrics=metrics)
    if args.learning_rate is not None:
        model.optimizer.learning_rate = args.learning_rate

    x = check_inputs(model, x, "--x")
    # Each process feeds its own rows, and each batch of a process must split evenly over its devices.
    total = x.shape[0]
    x, y = shard(x, y, process, processes, len(devices) // processes)
    used = x.shape[0] * processes
    if used == 0:
        raise UsageError(f"--x has {total} samples, fewer than the {len(devices)} devices")
    if used < total:
        say(f"note: training on {used} of {total} samples, a multiple of the {len(devices)} devices")
    batch = args.batch_size // processes

    replicas = len(next(iter(model.weights)).value.sharding.device_set) if model.weights else 0
    say(
        f"model {model.name!r}: {model.count_params():,} parameters, each weight on {replicas} devices; "
        f"{used} samples, global batch {args.batch_size} = {args.batch_size // len(devices)} per device"
    )

    before = model.evaluate(x, y, batch_size=batch, return_dict=True, verbose=0)
    say("before: " + ", ".join(f"{k} {v:.4f}" for k, v in before.items()))

    class EpochLine(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            say(f"epoch {epoch + 1}/{args.epochs}: " + ", ".join(f"{k} {v:.4f}" for k, v in (logs or {}).items()))

    train_started = time.perf_counter()
    history = model.fit(x, y, batch_size=batch, epochs=args.epochs, shuffle=True, verbose=0, callbacks=[EpochLine()])
    train_seconds = time.perf_counter() - train_started
    after = model.evaluate(x, y, batch_size=batch, return_dict=True, verbose=0)
    say("after:  " + ", ".join(f"{k} {v:.4f}" for k, v in after.items()) + f" ({train_seconds:.1f} s training)")

    # NOTE: every process must save: reading weights that span several processes' devices is a collective step,
    # and a process that skipped it would leave the others waiting. All hold the same weights; process 0's file is
    # kept, the others' go to a temporary folder.
    if not lead:
        with tempfile.TemporaryDirectory() as scratch:
            model.save(os.path.join(scratch, "model.keras"))
        return 0
    model.save(args.out)
    say(f"saved {args.out}")

    if to_predict is not None:
        # The saved file's predictions, on one device of this process: what anyone loading the file gets. (With
        # several processes a prediction under the distribution would be a global array no single process can read.)
        keras.distribution.set_distribution(None)
        saved = keras.saving.load_model(args.out)
        to_predict = check_inputs(saved, to_predict, "--predict")
        predictions = np.asarray(saved.predict(to_predict, batch_size=args.batch_size, verbose=0), np.float32)
        np.save(args.predictions_out, predictions)
        say(f"predictions {list(predictions.shape)} -> {args.predictions_out}")

    if args.report:
        report = {
            "keras": keras.__version__,
            "jax": jax.__version__,
            "backend": keras.backend.backend(),
            "processes": processes,
            "devices": devices,
            "device_count": len(devices),
            "weight_replicas": replicas,
            "samples": used,
            "batch_size": args.batch_size,
            "per_device_batch": args.batch_size // len(devices),
            "epochs": args.epochs,
            "seed": args.seed,
            "before": {k: float(v) for k, v in before.items()},
            "after": {k: float(v) for k, v in after.items()},
            "history": {k: [float(v) for v in vs] for k, vs in history.history.items()},
            "train_seconds": train_seconds,
            "seconds": time.perf_counter() - started,
            "out": args.out,
            "predictions_out": args.predictions_out,
        }
        with open(args.report, "w", encoding="utf-8") as f:
            json.dump(report, f, indent=2)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except UsageError as error:
        print(f"train_data_parallel.py: error: {error}", file=sys.stderr)
        sys.exit(2)
