// Reusable scratch memory for the kernels, so a training step does not allocate packing buffers on every
// call. Kernels run synchronously and never call each other while holding a buffer, so one buffer per named
// slot can be shared by all calls. Slots only grow.
const slots = new Map<string, Float64Array>();

/** A Float64Array of at least `length` elements for slot `name`; its contents are whatever was left there. */
export function scratch(name: string, length: number): Float64Array {
  let buf = slots.get(name);
  if (!buf || buf.length < length) {
    buf = new Float64Array(Math.max(length, buf ? buf.length * 2 : 0));
    slots.set(name, buf);
  }
  return buf;
}
