/** Paths every test needs. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const actionYml = (name: string): string => path.join(ROOT, 'actions', name, 'action.yml');
export const bundle = (name: string): string => path.join(ROOT, 'dist', name, 'index.js');
