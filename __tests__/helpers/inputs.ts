/** Test helper: feeds inputs from a map instead of INPUT_* variables. */
import { setInputSource } from '../../src/core/inputs.js';

export function withInputs(values: Record<string, string>): () => void {
  const previous = setInputSource((name) => values[name] ?? '');
  return () => {
    setInputSource(previous);
  };
}
