import { convergeCommand } from './roles-converge.js';

/** `rolehop roles apply FILE [selection]`. */
export default convergeCommand('apply');
