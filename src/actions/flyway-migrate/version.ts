/**
 * Flyway's MigrationVersion: `1_1` and `1.1` are the same version, parts compare as big integers,
 * trailing zero parts do not count (`1.0` == `1`), and the stored text is the raw string with `_` → `.`.
 */

export class MigrationVersion {
  private constructor(
    /** The display and stored text: the raw version with `_` replaced by `.`. */
    readonly text: string,
    /** Numeric parts with trailing zeros removed (the first part always stays). */
    readonly parts: readonly bigint[]
  ) {}

  /** Parses a version; throws a plain Error with Flyway's wording when it is not one. */
  static parse(raw: string): MigrationVersion {
    const text = raw.replace(/_/g, '.');
    const pieces = text.split(/\.(?=\d)/);
    const parts: bigint[] = [];
    for (const piece of pieces) {
      // BigInteger accepts an optional sign and decimal digits; non-ASCII digits are rejected here on
      // purpose (a Flyway quirk no real project relies on).
      if (!/^[+-]?\d+$/.test(piece)) {
        throw new Error(`Version may only contain 0..9 and . (dot). Invalid version: ${text}`);
      }
      parts.push(BigInt(piece));
    }
    while (parts.length > 1 && parts[parts.length - 1] === 0n) parts.pop();
    return new MigrationVersion(text, parts);
  }

  /** Parses or returns undefined. */
  static tryParse(raw: string): MigrationVersion | undefined {
    try {
      return MigrationVersion.parse(raw);
    } catch {
      return undefined;
    }
  }

  compareTo(other: MigrationVersion): number {
    const n = Math.max(this.parts.length, other.parts.length);
    for (let i = 0; i < n; i++) {
      const a = this.parts[i] ?? 0n;
      const b = other.parts[i] ?? 0n;
      if (a !== b) return a < b ? -1 : 1;
    }
    return 0;
  }

  equals(other: MigrationVersion): boolean {
    return this.compareTo(other) === 0;
  }

  /** A key equal for equal versions (`1.0` and `1` share one). */
  get key(): string {
    return this.parts.join('.');
  }

  toString(): string {
    return this.text;
  }
}

export function compareVersions(a: MigrationVersion, b: MigrationVersion): number {
  return a.compareTo(b);
}
