/*
 * symgen_guard: a SQLite loadable extension that makes an in-process connection safe for
 * untrusted, model-written queries.
 *
 * - A watchdog thread per connection interrupts the running statement when its time budget ends
 *   (sqlite3_interrupt is safe to call from another thread). better-sqlite3 is built without the
 *   progress callback, so this is the way to stop a runaway join or recursive CTE in-process.
 * - An authorizer allows reading only: SELECT, reading the database's own tables, recursive CTEs
 *   and functions other than the file and extension ones. Reading SQLite's catalogue (sqlite_master
 *   and the other sqlite_* tables) or a pragma function (pragma_database_list), ATTACH, DETACH,
 *   PRAGMA, writes, schema changes and transactions are refused at prepare time.
 * - Extension loading is switched off again for the connection once this extension is in.
 *
 * The controlling functions take a 64-bit token that `symgen_guard_token()` hands out once, to the
 * caller that loaded the extension: a query cannot learn it, so it cannot lift its own budget.
 *
 *   SELECT symgen_guard_token();            -- once, right after loading: the token
 *   SELECT symgen_guard_arm(token, ms);     -- interrupt whatever runs ms milliseconds from now
 *   SELECT symgen_guard_arm(token, 0);      -- disarm
 *
 * An interrupt that lands between statements is harmless: SQLite clears it when the next statement
 * starts, so a caller may re-arm before each statement without disarming after it.
 *   SELECT symgen_guard_limit(token, bytes);-- longest string or blob a statement may build
 *   SELECT symgen_guard_run(token, sql, ms, maxRows, maxBytes, previewRows, mode);
 *                                           -- run one statement under its budget, hash its result
 *                                              (run_statement.c) and answer with it as JSON
 */
#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT1
#include "run_statement.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

typedef struct Guard {
  sqlite3 *db;
  pthread_mutex_t mutex;
  pthread_cond_t cond;
  pthread_t thread;
  int64_t deadline; /* CLOCK_MONOTONIC nanoseconds; 0 when disarmed */
  int64_t wakeAt;   /* when the watchdog wakes next; 0 while it waits for an arm */
  int stop;
  int tokenTaken;
  sqlite3_int64 token;
} Guard;

static int64_t nowNs(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
}

static void *watch(void *arg) {
  Guard *guard = (Guard *)arg;
  pthread_mutex_lock(&guard->mutex);
  while (!guard->stop) {
    if (guard->deadline == 0) {
      guard->wakeAt = 0;
      pthread_cond_wait(&guard->cond, &guard->mutex);
      continue;
    }
    if (nowNs() >= guard->deadline) {
      sqlite3_interrupt(guard->db);
      guard->deadline = 0;
      continue;
    }
    struct timespec until;
    guard->wakeAt = guard->deadline;
    until.tv_sec = guard->deadline / 1000000000;
    until.tv_nsec = guard->deadline % 1000000000;
    pthread_cond_timedwait(&guard->cond, &guard->mutex, &until);
  }
  pthread_mutex_unlock(&guard->mutex);
  return NULL;
}

static void guardFree(void *arg) {
  Guard *guard = (Guard *)arg;
  pthread_mutex_lock(&guard->mutex);
  guard->stop = 1;
  guard->deadline = 0;
  pthread_cond_signal(&guard->cond);
  pthread_mutex_unlock(&guard->mutex);
  pthread_join(guard->thread, NULL);
  pthread_cond_destroy(&guard->cond);
  pthread_mutex_destroy(&guard->mutex);
  sqlite3_free(guard);
}

static int tokenMatches(sqlite3_context *context, sqlite3_value *value) {
  Guard *guard = (Guard *)sqlite3_user_data(context);
  /* JavaScript binds numbers as REAL: the token has 52 bits, exact either way. */
  int type = sqlite3_value_type(value);
  if (!guard->tokenTaken || (type != SQLITE_INTEGER && type != SQLITE_FLOAT) ||
      sqlite3_value_int64(value) != guard->token) {
    sqlite3_result_error(context, "symgen_guard: not permitted", -1);
    return 0;
  }
  return 1;
}

static void tokenFunction(sqlite3_context *context, int argc, sqlite3_value **argv) {
  (void)argc;
  (void)argv;
  Guard *guard = (Guard *)sqlite3_user_data(context);
  if (guard->tokenTaken) {
    sqlite3_result_null(context);
    return;
  }
  guard->tokenTaken = 1;
  sqlite3_result_int64(context, guard->token);
}

/*
 * Interrupt whatever runs `ms` milliseconds from now (0 disarms). The watchdog is woken only when
 * the new deadline comes before it would wake anyway. Otherwise it sleeps until the deadline it last
 * saw and then reads the current one, so re-arming before every statement (with the same budget, so
 * a later deadline) costs a lock, not a thread switch.
 */
static void setDeadline(Guard *guard, double ms) {
  pthread_mutex_lock(&guard->mutex);
  guard->deadline = ms > 0 ? nowNs() + (int64_t)(ms * 1e6) : 0;
  if (guard->deadline != 0 && (guard->wakeAt == 0 || guard->deadline < guard->wakeAt))
    pthread_cond_signal(&guard->cond);
  pthread_mutex_unlock(&guard->mutex);
}

static void armFunction(sqlite3_context *context, int argc, sqlite3_value **argv) {
  (void)argc;
  Guard *guard = (Guard *)sqlite3_user_data(context);
  if (!tokenMatches(context, argv[0])) return;
  setDeadline(guard, sqlite3_value_double(argv[1]));
  sqlite3_result_null(context);
}

/*
 * symgen_guard_run(token, sql, timeoutMs, maxRows, maxBytes, previewRows, mode): run one statement
 * under its budget and answer with its result as JSON (run_statement.h). The statement is prepared
 * on this connection, so the authorizer and the length limit apply to it as to any other.
 */
static void runFunction(sqlite3_context *context, int argc, sqlite3_value **argv) {
  (void)argc;
  Guard *guard = (Guard *)sqlite3_user_data(context);
  if (!tokenMatches(context, argv[0])) return;
  const char *sql = (const char *)sqlite3_value_text(argv[1]);
  if (!sql) {
    sqlite3_result_error(context, "symgen_guard_run: no statement", -1);
    return;
  }
  RunLimits limits;
  limits.maxRows = sqlite3_value_int64(argv[3]);
  limits.maxBytes = sqlite3_value_int64(argv[4]);
  limits.previewRows = sqlite3_value_int(argv[5]);
  limits.mode = sqlite3_value_int(argv[6]);
  setDeadline(guard, sqlite3_value_double(argv[2]));
  symgenRunStatement(context, guard->db, sql, sqlite3_value_bytes(argv[1]), &limits);
  /* Disarmed at once, so the budget of this statement never reaches the next one. */
  setDeadline(guard, 0);
}

static void limitFunction(sqlite3_context *context, int argc, sqlite3_value **argv) {
  (void)argc;
  Guard *guard = (Guard *)sqlite3_user_data(context);
  if (!tokenMatches(context, argv[0])) return;
  int bytes = sqlite3_value_int(argv[1]);
  sqlite3_result_int(context, sqlite3_limit(guard->db, SQLITE_LIMIT_LENGTH, bytes));
}

static const char *const REFUSED_FUNCTIONS[] = {"load_extension", "readfile", "writefile", "edit",
                                                "fts3_tokenizer", NULL};

/*
 * SQLite's pragmas (every build's): `pragma_<name>` is the pragma's table-valued function. The same
 * list as PRAGMA_NAMES in src/sandbox/sqlite/guard.ts, which refuses the same names before a
 * statement gets here (the tests hold the two equal).
 */
static const char *const PRAGMA_NAMES[] = {
    "activate_extensions", "analysis_limit", "application_id", "auto_vacuum", "automatic_index",
    "busy_timeout", "cache_size", "cache_spill", "case_sensitive_like", "cell_size_check",
    "checkpoint_fullfsync", "collation_list", "compile_options", "count_changes", "data_store_directory",
    "data_version", "database_list", "default_cache_size", "defer_foreign_keys", "empty_result_callbacks",
    "encoding", "foreign_key_check", "foreign_key_list", "foreign_keys", "freelist_count",
    "full_column_names", "fullfsync", "function_list", "hard_heap_limit", "hexkey", "hexrekey",
    "ignore_check_constraints", "incremental_vacuum", "index_info", "index_list", "index_xinfo",
    "integrity_check", "journal_mode", "journal_size_limit", "key", "legacy_alter_table",
    "legacy_file_format", "lock_proxy_file", "lock_status", "locking_mode", "max_page_count", "mmap_size",
    "module_list", "optimize", "page_count", "page_size", "parser_trace", "pragma_list", "query_only",
    "quick_check", "read_uncommitted", "recursive_triggers", "rekey", "reverse_unordered_selects",
    "schema_version", "secure_delete", "short_column_names", "shrink_memory", "soft_heap_limit", "sql_trace",
    "stats", "synchronous", "table_info", "table_list", "table_xinfo", "temp_store", "temp_store_directory",
    "textkey", "textrekey", "threads", "trusted_schema", "user_version", "vdbe_addoptrace", "vdbe_debug",
    "vdbe_listing", "vdbe_trace", "wal_autocheckpoint", "wal_checkpoint", "writable_schema", NULL};

/*
 * Whether reading `table` is reading SQLite's catalogue (sqlite_master, sqlite_schema,
 * sqlite_temp_master, sqlite_sequence, sqlite_stat1..4, sqlite_dbpage: no database may create a
 * table named sqlite_*) or a pragma function. They describe the file, not its data: never an answer.
 */
static int readsCatalogue(const char *table) {
  if (!table) return 0;
  if (strncasecmp(table, "sqlite_", 7) == 0) return 1;
  if (strncasecmp(table, "pragma_", 7) != 0) return 0;
  for (int index = 0; PRAGMA_NAMES[index]; index++) {
    if (strcasecmp(table + 7, PRAGMA_NAMES[index]) == 0) return 1;
  }
  return 0;
}

static int authorize(void *arg, int action, const char *first, const char *second, const char *database,
                     const char *trigger) {
  (void)arg;
  (void)database;
  (void)trigger;
  switch (action) {
  case SQLITE_READ:
    return readsCatalogue(first) ? SQLITE_DENY : SQLITE_OK;
  case SQLITE_SELECT:
  case SQLITE_RECURSIVE:
    return SQLITE_OK;
  case SQLITE_FUNCTION:
    for (int index = 0; second && REFUSED_FUNCTIONS[index]; index++) {
      if (strcasecmp(second, REFUSED_FUNCTIONS[index]) == 0) return SQLITE_DENY;
    }
    return SQLITE_OK;
  default:
    return SQLITE_DENY;
  }
}

static sqlite3_int64 randomToken(void) {
  sqlite3_int64 token = 0;
  FILE *random = fopen("/dev/urandom", "rb");
  if (random) {
    if (fread(&token, sizeof token, 1, random) != 1) token = 0;
    fclose(random);
  }
  if (token == 0) token = (sqlite3_int64)nowNs() ^ (sqlite3_int64)(intptr_t)&token;
  /* 52 bits, so the token is exact as a JavaScript number. */
  token &= ((sqlite3_int64)1 << 52) - 1;
  return token == 0 ? 1 : token;
}

#ifdef _WIN32
__declspec(dllexport)
#endif
int sqlite3_symgenguard_init(sqlite3 *db, char **error, const sqlite3_api_routines *api) {
  SQLITE_EXTENSION_INIT2(api);
  Guard *guard = (Guard *)sqlite3_malloc(sizeof(Guard));
  if (!guard) return SQLITE_NOMEM;
  memset(guard, 0, sizeof *guard);
  guard->db = db;
  guard->token = randomToken();
  pthread_condattr_t attributes;
  pthread_condattr_init(&attributes);
  pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC);
  pthread_cond_init(&guard->cond, &attributes);
  pthread_condattr_destroy(&attributes);
  pthread_mutex_init(&guard->mutex, NULL);
  if (pthread_create(&guard->thread, NULL, watch, guard) != 0) {
    pthread_cond_destroy(&guard->cond);
    pthread_mutex_destroy(&guard->mutex);
    sqlite3_free(guard);
    *error = sqlite3_mprintf("symgen_guard: cannot start the watchdog thread");
    return SQLITE_ERROR;
  }
  int flags = SQLITE_UTF8 | SQLITE_DIRECTONLY;
  /* The arm function owns the guard: SQLite frees it (and stops the thread) when the connection closes. */
  int rc = sqlite3_create_function_v2(db, "symgen_guard_arm", 2, flags, guard, armFunction, NULL, NULL,
                                      guardFree);
  if (rc != SQLITE_OK) {
    guardFree(guard);
    return rc;
  }
  rc = sqlite3_create_function_v2(db, "symgen_guard_token", 0, flags, guard, tokenFunction, NULL, NULL, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_create_function_v2(db, "symgen_guard_limit", 2, flags, guard, limitFunction, NULL, NULL,
                                    NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_create_function_v2(db, "symgen_guard_run", 7, flags, guard, runFunction, NULL, NULL, NULL);
  if (rc != SQLITE_OK) return rc;
  sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
  sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)0);
  sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, (int *)0);
  sqlite3_set_authorizer(db, authorize, guard);
  sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, (int *)0);
  return SQLITE_OK;
}
