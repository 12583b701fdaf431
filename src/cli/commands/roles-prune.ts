import { convergeCommand } from './roles-converge.js';

/** `rolehop roles prune FILE [selection]`. */
export default convergeCommand('prune');
