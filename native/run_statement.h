/*
 * Run one untrusted read-only statement and hash its result in C: the same result, byte for byte, as
 * `runStatement` (src/tasks/sql/execute/run-statement.ts) computes in JavaScript with better-sqlite3 and
 * `ResultHasher` (result-key.ts), without building a JavaScript value per cell.
 */
#ifndef SYMGEN_RUN_STATEMENT_H
#define SYMGEN_RUN_STATEMENT_H

#include "sqlite3ext.h"

typedef struct RunLimits {
  sqlite3_int64 maxRows;
  sqlite3_int64 maxBytes;
  int previewRows;
  /* 0 multiset, 1 strict, 2 set: the CompareMode of result-key.ts */
  int mode;
} RunLimits;

/*
 * Prepare `sql` (`bytes` long) on `db`, run it under `limits` and answer `context` with one JSON
 * object:
 *   {"rows":N,"bagKey":"…","listKey":"…","columns":[…],"preview":[[…]]}  the result
 *   {"error":"…","phase":"prepare"}   the statement did not compile (or held no or several statements)
 *   {"error":"…"}                     it failed while running
 *   {"stop":"rows"} / {"stop":"bytes"} over a cap
 *   {"refused":true}                  it is not a read-only query
 *   {"timeout":true}                  it was interrupted
 *   {"fallback":true}                 the answer would be longer than SQLite's length limit: run it in JavaScript
 */
void symgenRunStatement(sqlite3_context *context, sqlite3 *db, const char *sql, int bytes, const RunLimits *limits);

#endif
