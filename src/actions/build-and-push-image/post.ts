import { runAction } from '../../core/run.js';
import { post } from './cleanup.js';

await runAction(post);
