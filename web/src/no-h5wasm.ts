// The playground reads no Keras files: the bundle takes this stand-in for h5wasm (the HDF5 library, 4.8 MB),
// aliased in vite.config.ts, so that the built page does not carry it. A call that would need it says so.
const unavailable = () => Promise.reject(new Error('Keras .keras / .h5 files are not read in the playground (its bundle leaves h5wasm out).'));

export default {
  get ready() {
    return unavailable();
  },
};
