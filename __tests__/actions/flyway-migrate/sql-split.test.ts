import { describe, expect, it } from '@jest/globals';
import { splitStatements } from '../../../src/actions/flyway-migrate/sql-split.js';

const sqls = (text: string, dialect: 'mysql' | 'postgresql') =>
  splitStatements(text, dialect).map((s) => s.sql);

describe('splitStatements: both dialects (Flyway §8)', () => {
  it.each(['mysql', 'postgresql'] as const)('%s: basics', (dialect) => {
    expect(sqls('', dialect)).toEqual([]);
    expect(sqls('-- only a comment\n/* and another */\n', dialect)).toEqual([]);
    expect(sqls('SELECT 1', dialect)).toEqual(['SELECT 1']);
    expect(sqls(';;SELECT 1;;', dialect)).toEqual(['SELECT 1']);
    expect(sqls("INSERT INTO t VALUES ('a;b', 'it''s; fine');\nSELECT 2;", dialect)).toEqual([
      "INSERT INTO t VALUES ('a;b', 'it''s; fine')",
      'SELECT 2'
    ]);
    expect(sqls('-- lead\nSELECT 1; -- trailing ; comment\n/* x; */ SELECT 2;', dialect)).toEqual([
      '-- lead\nSELECT 1',
      '-- trailing ; comment\n/* x; */ SELECT 2'
    ]);
  });

  it.each(['mysql', 'postgresql'] as const)('%s: line numbers with LF, CRLF and CR', (dialect) => {
    for (const eol of ['\n', '\r\n', '\r']) {
      const text = ['-- header', 'CREATE TABLE a (', '  id INT', ');', '', 'INSERT INTO a VALUES (1);'].join(
        eol
      );
      const statements = splitStatements(text, dialect);
      expect(statements.map((s) => [s.line, s.column])).toEqual([
        [2, 1],
        [6, 1]
      ]);
    }
  });

  it.each(['mysql', 'postgresql'] as const)('%s: Korean text and identifiers', (dialect) => {
    expect(sqls("INSERT INTO 사용자 VALUES ('한국어; 텍스트');SELECT 1;", dialect)).toEqual([
      "INSERT INTO 사용자 VALUES ('한국어; 텍스트')",
      'SELECT 1'
    ]);
  });

  it.each(['mysql', 'postgresql'] as const)(
    '%s: an unterminated statement fails with its line',
    (dialect) => {
      expect(() => splitStatements('SELECT 1;\nSELECT (1;\n', dialect)).toThrow(
        'Incomplete statement at line 2 col 1'
      );
      expect(() => splitStatements("SELECT 'open;\n", dialect)).toThrow(
        'Incomplete statement at line 1 col 1'
      );
    }
  );

  it.each(['mysql', 'postgresql'] as const)('%s: semicolons inside parentheses do not split', (dialect) => {
    expect(sqls('SELECT (1;2);SELECT 3', dialect)).toHaveLength(2);
  });
});

describe('splitStatements: MySQL', () => {
  it('honours DELIMITER and keeps procedure bodies whole', () => {
    const text = [
      'CREATE TABLE t (id INT);',
      'DELIMITER //',
      'CREATE PROCEDURE p()',
      'BEGIN',
      '  INSERT INTO t VALUES (1);',
      '  IF 1 = 1 THEN SELECT 1; END IF;',
      'END //',
      'delimiter ;',
      'CALL p();'
    ].join('\n');
    const statements = splitStatements(text, 'mysql');
    expect(statements.map((s) => s.sql)).toEqual([
      'CREATE TABLE t (id INT)',
      'CREATE PROCEDURE p()\nBEGIN\n  INSERT INTO t VALUES (1);\n  IF 1 = 1 THEN SELECT 1; END IF;\nEND',
      'CALL p()'
    ]);
    expect(statements.map((s) => s.line)).toEqual([1, 3, 9]);
  });

  it('keeps a trigger body whole without DELIMITER (BEGIN … END block depth)', () => {
    const text =
      'CREATE DEFINER=`root`@`%` TRIGGER trg BEFORE INSERT ON t FOR EACH ROW BEGIN\n  SET NEW.id = CASE WHEN NEW.id IS NULL THEN 0 ELSE NEW.id END;\n  SET @x = 1;\nEND;\nSELECT 1;';
    expect(sqls(text, 'mysql')).toHaveLength(2);
  });

  it('handles MariaDB BEGIN NOT ATOMIC', () => {
    expect(sqls('BEGIN NOT ATOMIC\n  SELECT 1;\n  SELECT 2;\nEND;\nSELECT 3;', 'mysql')).toEqual([
      'BEGIN NOT ATOMIC\n  SELECT 1;\n  SELECT 2;\nEND',
      'SELECT 3'
    ]);
  });

  it('handles # comments, backslash escapes, double-quoted strings and backticks', () => {
    expect(
      sqls('# a comment; here\nINSERT INTO `a;b` VALUES (\'it\\\'s;\', "x;\\"y");SELECT 1;', 'mysql')
    ).toEqual(['# a comment; here\nINSERT INTO `a;b` VALUES (\'it\\\'s;\', "x;\\"y")', 'SELECT 1']);
  });

  it('keeps /*! version comments as SQL', () => {
    expect(sqls('/*!40101 SET NAMES utf8mb4 */;\nSELECT 1;', 'mysql')).toEqual([
      '/*!40101 SET NAMES utf8mb4 */',
      'SELECT 1'
    ]);
  });

  it('treats every statement as transactional', () => {
    expect(splitStatements('CREATE DATABASE x; VACUUM;', 'mysql').every((s) => s.transactional)).toBe(true);
  });
});

describe('splitStatements: PostgreSQL', () => {
  it('keeps dollar-quoted bodies whole', () => {
    const text =
      "CREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END; $$ LANGUAGE plpgsql;\nDO $tag$ BEGIN PERFORM 'x;$$'; END $tag$;\nSELECT 1;";
    expect(sqls(text, 'postgresql')).toEqual([
      'CREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END; $$ LANGUAGE plpgsql',
      "DO $tag$ BEGIN PERFORM 'x;$$'; END $tag$",
      'SELECT 1'
    ]);
  });

  it('nests block comments', () => {
    expect(sqls('/* a /* b; */ c; */ SELECT 1;', 'postgresql')).toEqual(['/* a /* b; */ c; */ SELECT 1']);
  });

  it('does not take $1 or a$b for a dollar quote', () => {
    expect(sqls('PREPARE p AS SELECT $1; SELECT a$b FROM t;', 'postgresql')).toEqual([
      'PREPARE p AS SELECT $1',
      'SELECT a$b FROM t'
    ]);
  });

  it("handles E'' escapes and double-quoted identifiers", () => {
    expect(sqls('SELECT E\'it\\\'s;\'; SELECT "a;""b" FROM t;', 'postgresql')).toEqual([
      "SELECT E'it\\'s;'",
      'SELECT "a;""b" FROM t'
    ]);
  });

  it('keeps BEGIN ATOMIC … END whole', () => {
    const text =
      'CREATE FUNCTION f(i int) RETURNS int LANGUAGE SQL BEGIN ATOMIC\n  SELECT CASE WHEN i > 0 THEN 1 ELSE 0 END;\nEND;\nSELECT 2;';
    expect(sqls(text, 'postgresql')).toHaveLength(2);
  });

  it.each([
    ['CREATE INDEX CONCURRENTLY i ON t (a)', false],
    ['create unique index concurrently i on t (a)', false],
    ['DROP INDEX CONCURRENTLY i', false],
    ['CREATE DATABASE x', false],
    ['VACUUM t', false],
    ['ALTER SYSTEM SET work_mem = 1', false],
    ['REINDEX DATABASE x', false],
    ['DISCARD ALL', false],
    ['CREATE INDEX i ON t (a)', true],
    ["ALTER TYPE mood ADD VALUE 'x'", true],
    ['SELECT 1', true]
  ])('%s → transactional %s', (sql, transactional) => {
    expect(splitStatements(sql, 'postgresql')[0]?.transactional).toBe(transactional);
  });

  it('ALTER TYPE … ADD VALUE is non-transactional before PostgreSQL 12', () => {
    expect(
      splitStatements("ALTER TYPE mood ADD VALUE 'x'", 'postgresql', { postgresMajor: 11 })[0]?.transactional
    ).toBe(false);
  });

  it('reads COPY … FROM STDIN data up to \\.', () => {
    const statements = splitStatements('COPY t (a) FROM STDIN;\n1\n2;x\n\\.\nSELECT 1;', 'postgresql');
    expect(statements.map((s) => [s.sql, s.copyData])).toEqual([
      ['COPY t (a) FROM STDIN', '1\n2;x\n'],
      ['SELECT 1', undefined]
    ]);
  });
});
