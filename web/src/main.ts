// The playground page: four sections, each wired to its own controls (and its own training worker).
import './styles.css';
import './concepts.css';
import { setupBackprop } from './sections/backprop.js';
import { setupCategorical } from './sections/categorical.js';
import { setupCnn } from './sections/cnn.js';
import { setupFlatten } from './sections/flatten.js';
import { setupLiveCnn } from './sections/live-cnn.js';
import { setupNeurons } from './sections/neurons.js';
import { setupOutputs } from './sections/outputs.js';
import { setupResolution } from './sections/resolution.js';
import { setupVanishing } from './sections/vanishing.js';

setupNeurons();
setupOutputs();
setupVanishing();
setupCnn();
setupBackprop();
setupFlatten();
setupCategorical();
setupResolution();
setupLiveCnn();
