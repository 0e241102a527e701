import { runAction } from '../../core/run.js';
import { post } from './cancel.js';

await runAction(post);
