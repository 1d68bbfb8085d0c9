/*
 * One statement, run and hashed in C. Everything here mirrors JavaScript that stays the
 * specification (and the fallback without a C compiler), so both give the same bytes:
 *
 * - preparing as better-sqlite3 does: its "no statements" and "more than one statement" errors;
 * - reading values as better-sqlite3 does: integers as doubles, text decoded from UTF-8 the way V8
 *   decodes it (each maximal invalid subpart becomes U+FFFD), lengths in UTF-16 code units;
 * - the caps of run-statement.ts (`readRows`);
 * - the cell, row and result hashes of result-key.ts (`ResultHasher`), including its rounding of
 *   reals to ten significant digits as `Number.prototype.toPrecision` rounds (ties away from zero).
 *
 * test/native-run.test.ts runs both on the same statements and compares every field.
 */
#include "run_statement.h"
SQLITE_EXTENSION_INIT3

#include <fenv.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a growing text buffer ---- */

typedef struct Text {
  char *data;
  size_t length;
  size_t capacity;
  int failed;
} Text;

static void textReserve(Text *text, size_t more) {
  if (text->failed || text->length + more <= text->capacity) return;
  size_t capacity = text->capacity ? text->capacity : 256;
  while (capacity < text->length + more) capacity *= 2;
  char *data = (char *)sqlite3_realloc64(text->data, capacity);
  if (!data) {
    text->failed = 1;
    return;
  }
  text->data = data;
  text->capacity = capacity;
}

static void textAdd(Text *text, const char *bytes, size_t length) {
  textReserve(text, length);
  if (text->failed) return;
  memcpy(text->data + text->length, bytes, length);
  text->length += length;
}

static void textPut(Text *text, const char *bytes) { textAdd(text, bytes, strlen(bytes)); }

/* ---- UTF-8 to UTF-16 as V8's String::NewFromUtf8 decodes (the WHATWG UTF-8 decoder) ---- */

/* Decode `length` bytes into `out` (room for `length` units); returns the number of UTF-16 units. */
static size_t decodeUtf8(const unsigned char *bytes, size_t length, uint16_t *out) {
  size_t units = 0;
  uint32_t point = 0;
  int needed = 0;
  int seen = 0;
  unsigned lower = 0x80;
  unsigned upper = 0xBF;
  for (size_t index = 0; index < length; index++) {
    unsigned byte = bytes[index];
    if (needed == 0) {
      if (byte <= 0x7F) {
        out[units++] = (uint16_t)byte;
      } else if (byte >= 0xC2 && byte <= 0xDF) {
        needed = 1;
        point = byte & 0x1F;
      } else if (byte >= 0xE0 && byte <= 0xEF) {
        if (byte == 0xE0) lower = 0xA0;
        if (byte == 0xED) upper = 0x9F;
        needed = 2;
        point = byte & 0x0F;
      } else if (byte >= 0xF0 && byte <= 0xF4) {
        if (byte == 0xF0) lower = 0x90;
        if (byte == 0xF4) upper = 0x8F;
        needed = 3;
        point = byte & 0x07;
      } else {
        out[units++] = 0xFFFD;
      }
      continue;
    }
    if (byte < lower || byte > upper) {
      /* The sequence ends here unfinished: one replacement, and this byte starts afresh. */
      point = 0;
      needed = 0;
      seen = 0;
      lower = 0x80;
      upper = 0xBF;
      out[units++] = 0xFFFD;
      index--;
      continue;
    }
    lower = 0x80;
    upper = 0xBF;
    point = (point << 6) | (byte & 0x3F);
    if (++seen < needed) continue;
    if (point > 0xFFFF) {
      point -= 0x10000;
      out[units++] = (uint16_t)(0xD800 + (point >> 10));
      out[units++] = (uint16_t)(0xDC00 + (point & 0x3FF));
    } else {
      out[units++] = (uint16_t)point;
    }
    point = 0;
    needed = 0;
    seen = 0;
  }
  if (needed != 0) out[units++] = 0xFFFD;
  return units;
}

/* Scratch room for decoded text, reused from cell to cell. */
typedef struct Units {
  uint16_t *data;
  size_t capacity;
} Units;

static const uint16_t *decode(Units *units, const unsigned char *bytes, size_t length, size_t *count) {
  if (!units->data || length > units->capacity) {
    size_t capacity = units->capacity ? units->capacity : 256;
    while (capacity < length) capacity *= 2;
    uint16_t *data = (uint16_t *)sqlite3_realloc64(units->data, capacity * sizeof(uint16_t));
    if (!data) return NULL;
    units->data = data;
    units->capacity = capacity;
  }
  *count = decodeUtf8(bytes, length, units->data);
  return units->data;
}

/* A JSON string of UTF-16 units: ASCII as it is, everything else escaped, so JSON.parse restores every unit. */
static void jsonString(Text *text, const uint16_t *units, size_t count) {
  textReserve(text, count * 6 + 2);
  if (text->failed) return;
  char *out = text->data + text->length;
  *out++ = '"';
  for (size_t index = 0; index < count; index++) {
    uint16_t unit = units[index];
    if (unit == '"' || unit == '\\') {
      *out++ = '\\';
      *out++ = (char)unit;
    } else if (unit >= 0x20 && unit < 0x7F) {
      *out++ = (char)unit;
    } else {
      static const char hex[] = "0123456789abcdef";
      *out++ = '\\';
      *out++ = 'u';
      *out++ = hex[(unit >> 12) & 15];
      *out++ = hex[(unit >> 8) & 15];
      *out++ = hex[(unit >> 4) & 15];
      *out++ = hex[unit & 15];
    }
  }
  *out++ = '"';
  text->length = (size_t)(out - text->data);
}

static void jsonUtf8(Text *text, Units *units, const char *utf8) {
  size_t count = 0;
  const uint16_t *decoded = decode(units, (const unsigned char *)utf8, strlen(utf8), &count);
  if (!decoded) {
    text->failed = 1;
    return;
  }
  jsonString(text, decoded, count);
}

/* ---- the hashes of result-key.ts: two 32-bit lanes, MurmurHash3's mixing steps ---- */

#define SEED_A 0x9747b28cu
#define SEED_B 0x2545f491u
#define TAG_NULL 1u
#define TAG_NUMBER 2u
#define TAG_STRING 3u
#define TAG_BLOB 4u

static inline uint32_t rotl(uint32_t value, int bits) { return (value << bits) | (value >> (32 - bits)); }

static inline uint32_t mixA(uint32_t hash, uint32_t word) {
  uint32_t k = rotl(word * 0xcc9e2d51u, 15);
  uint32_t h = hash ^ (k * 0x1b873593u);
  return rotl(h, 13) * 5u + 0xe6546b64u;
}

static inline uint32_t mixB(uint32_t hash, uint32_t word) {
  uint32_t k = rotl(word * 0x85ebca77u, 13);
  uint32_t h = hash ^ (k * 0xc2b2ae3du);
  return rotl(h, 17) * 9u + 0x27d4eb2fu;
}

static inline uint32_t finish(uint32_t hash) {
  uint32_t h = hash ^ (hash >> 16);
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  h *= 0xc2b2ae35u;
  return h ^ (h >> 16);
}

/* Number(value.toPrecision(10)) for a finite value that is not an integer. */
static double toPrecision10(double value) {
  double magnitude = fabs(value);
  char rounded[40];
  char exact[80];
  snprintf(rounded, sizeof rounded, "%.9e", magnitude);
  /*
   * printf rounds an exact tie to even; toPrecision picks the larger candidate. A tie shows as a 5
   * in the eleventh significant digit with only zeros after it (a double's digits never end in a
   * run of fifty zeros followed by more), and is then rounded upward.
   */
  snprintf(exact, sizeof exact, "%.60e", magnitude);
  if (exact[11] == '5') {
    int tie = 1;
    for (int index = 12; exact[index] && exact[index] != 'e'; index++) {
      if (exact[index] != '0') {
        tie = 0;
        break;
      }
    }
    if (tie) {
      int mode = fegetround();
      fesetround(FE_UPWARD);
      snprintf(rounded, sizeof rounded, "%.9e", magnitude);
      fesetround(mode);
    }
  }
  double parsed = strtod(rounded, NULL);
  return value < 0 ? -parsed : parsed;
}

/* canonicalNumber of result-key.ts. */
static double canonicalNumber(double value) {
  if (isnan(value)) return value;
  if (isinf(value) || value == trunc(value)) return value == 0 ? 0.0 : value;
  return toPrecision10(value);
}

typedef struct Lanes {
  uint32_t a;
  uint32_t b;
} Lanes;

static Lanes hashWords(uint32_t tag, uint32_t low, uint32_t high) {
  Lanes lanes = {finish(mixA(mixA(mixA(SEED_A, tag), low), high)),
                 finish(mixB(mixB(mixB(SEED_B, tag), low), high))};
  return lanes;
}

static Lanes hashNumber(double value) {
  double number = canonicalNumber(value);
  uint64_t bits;
  memcpy(&bits, &number, sizeof bits);
  return hashWords(TAG_NUMBER, (uint32_t)bits, (uint32_t)(bits >> 32));
}

/* Hash `count` elements after `tag` (UTF-16 units of text, or bytes of a blob): hashText and the blob branch of hashCell. */
static Lanes hashSequence(uint32_t tag, const void *elements, size_t count, int wide) {
  uint32_t a = mixA(SEED_A, tag);
  uint32_t b = mixB(SEED_B, tag);
  for (size_t index = 0; index < count; index++) {
    uint32_t element =
        wide ? ((const uint16_t *)elements)[index] : ((const unsigned char *)elements)[index];
    a = mixA(a, element);
    b = mixB(b, element);
  }
  Lanes lanes = {finish(a ^ (uint32_t)count), finish(b ^ (uint32_t)count)};
  return lanes;
}

/* ---- keys of a whole result (ResultHasher.keys) ---- */

typedef struct Signature {
  int32_t sumA;
  int32_t sumB;
  int column;
} Signature;

static int compareSignatures(const void *left, const void *right) {
  const Signature *x = (const Signature *)left;
  const Signature *y = (const Signature *)right;
  if (x->sumA != y->sumA) return x->sumA < y->sumA ? -1 : 1;
  if (x->sumB != y->sumB) return x->sumB < y->sumB ? -1 : 1;
  return x->column - y->column;
}

/* Column order of the multiset comparison: by a hash of each column's multiset of values. */
static int columnOrder(const uint32_t *a, const uint32_t *b, int width, sqlite3_int64 count, int *order) {
  Signature *signatures = (Signature *)sqlite3_malloc64(sizeof(Signature) * (size_t)width);
  if (!signatures) return 0;
  for (int column = 0; column < width; column++) {
    uint32_t sumA = 0;
    uint32_t sumB = 0;
    for (sqlite3_int64 row = 0; row < count; row++) {
      sumA += finish(a[row * width + column]);
      sumB += finish(b[row * width + column]);
    }
    signatures[column].sumA = (int32_t)sumA;
    signatures[column].sumB = (int32_t)sumB;
    signatures[column].column = column;
  }
  qsort(signatures, (size_t)width, sizeof(Signature), compareSignatures);
  for (int column = 0; column < width; column++) order[column] = signatures[column].column;
  sqlite3_free(signatures);
  return 1;
}

/* SymGen's comparison (ResultHasher.setKey): the set of rows, each row the multiset of its values. */
static int setKey(char *key, size_t size, const uint32_t *a, const uint32_t *b, int width, sqlite3_int64 count) {
  size_t slots = 16;
  while (slots < (size_t)count * 2) slots *= 2;
  uint64_t *seen = (uint64_t *)sqlite3_malloc64(slots * sizeof(uint64_t));
  unsigned char *used = (unsigned char *)sqlite3_malloc64(slots);
  if (!seen || !used) {
    sqlite3_free(seen);
    sqlite3_free(used);
    return 0;
  }
  memset(used, 0, slots);
  sqlite3_int64 distinct = 0;
  uint32_t sumA = 0;
  uint32_t sumB = 0;
  for (sqlite3_int64 row = 0; row < count; row++) {
    uint32_t rowA = 0;
    uint32_t rowB = 0;
    for (int column = 0; column < width; column++) {
      rowA += finish(a[row * width + column]);
      rowB += finish(b[row * width + column]);
    }
    rowA = finish(rowA ^ (uint32_t)width);
    rowB = finish(rowB ^ (uint32_t)width);
    uint64_t id = ((uint64_t)rowA << 21) + (rowB >> 11);
    size_t slot = (size_t)(finish((uint32_t)id ^ (uint32_t)(id >> 32)) & (slots - 1));
    while (used[slot] && seen[slot] != id) slot = (slot + 1) & (slots - 1);
    if (used[slot]) continue;
    used[slot] = 1;
    seen[slot] = id;
    distinct++;
    sumA += rowA;
    sumB += rowB;
  }
  sqlite3_free(seen);
  sqlite3_free(used);
  snprintf(key, size, "set:%lld:%08x%08x", (long long)distinct, sumA, sumB);
  return 1;
}

/* The bag and list keys of ResultHasher.keys; `strict` keeps the columns in their order. */
static int bagAndListKeys(char *bag, char *list, size_t size, const uint32_t *a, const uint32_t *b, int width,
                          sqlite3_int64 count, int strict) {
  int *order = (int *)sqlite3_malloc64(sizeof(int) * (size_t)width);
  if (!order) return 0;
  for (int column = 0; column < width; column++) order[column] = column;
  if (!strict && width >= 2 && !columnOrder(a, b, width, count, order)) {
    sqlite3_free(order);
    return 0;
  }
  uint32_t listA = SEED_A;
  uint32_t listB = SEED_B;
  uint32_t sumA = 0;
  uint32_t sumB = 0;
  uint32_t sumC = 0;
  for (sqlite3_int64 row = 0; row < count; row++) {
    uint32_t rowA = SEED_A;
    uint32_t rowB = SEED_B;
    const sqlite3_int64 offset = row * width;
    for (int index = 0; index < width; index++) {
      rowA = mixA(rowA, a[offset + order[index]]);
      rowB = mixB(rowB, b[offset + order[index]]);
    }
    rowA = finish(rowA ^ (uint32_t)width);
    rowB = finish(rowB ^ (uint32_t)width);
    listA = mixA(listA, rowA);
    listB = mixB(listB, rowB);
    sumA += rowA;
    sumB += rowB;
    sumC += finish(rowA ^ rotl(rowB, 7));
  }
  sqlite3_free(order);
  snprintf(bag, size, "bag:%lldx%d:%08x%08x%08x", (long long)count, width, sumA, sumB, sumC);
  snprintf(list, size, "list:%lldx%d:%08x%08x", (long long)count, width, finish(listA ^ (uint32_t)count),
           finish(listB ^ (uint32_t)count));
  return 1;
}

/* Append `"bagKey":"…","listKey":"…"` for `mode` (0 multiset, 1 strict, 2 set); 0 when out of memory. */
static int writeKeys(Text *out, const uint32_t *a, const uint32_t *b, int width, sqlite3_int64 count, int mode) {
  char bag[96] = "empty";
  char list[96] = "empty";
  if (count > 0 && mode == 2) {
    if (!setKey(bag, sizeof bag, a, b, width, count)) return 0;
    memcpy(list, bag, sizeof bag);
  } else if (count > 0 && !bagAndListKeys(bag, list, sizeof bag, a, b, width, count, mode == 1)) {
    return 0;
  }
  char keys[240];
  snprintf(keys, sizeof keys, "\"bagKey\":\"%s\",\"listKey\":\"%s\"", bag, list);
  textPut(out, keys);
  return 1;
}

/* ---- preview cells as JSON, read back by JSON.parse as better-sqlite3's values (blobs as x'…') ---- */

static void jsonNumber(Text *out, sqlite3_stmt *statement, int column, int type) {
  char number[40];
  if (type == SQLITE_INTEGER) {
    sqlite3_int64 integer = sqlite3_column_int64(statement, column);
    if (integer >= -9007199254740991LL && integer <= 9007199254740991LL) {
      snprintf(number, sizeof number, "%lld", (long long)integer);
      textPut(out, number);
      return;
    }
  }
  double value = sqlite3_column_double(statement, column);
  if (isinf(value)) {
    textPut(out, value > 0 ? "1e999" : "-1e999");
    return;
  }
  /* Seventeen significant digits read back as the same double. */
  snprintf(number, sizeof number, "%.17g", value);
  textPut(out, number);
}

static void jsonBlob(Text *out, const unsigned char *bytes, size_t count) {
  static const char digits[] = "0123456789abcdef";
  textReserve(out, count * 2 + 5);
  if (out->failed) return;
  char *at = out->data + out->length;
  *at++ = '"';
  *at++ = 'x';
  *at++ = '\'';
  for (size_t index = 0; index < count; index++) {
    *at++ = digits[bytes[index] >> 4];
    *at++ = digits[bytes[index] & 15];
  }
  *at++ = '\'';
  *at++ = '"';
  out->length = (size_t)(at - out->data);
}

/* ---- the statement ---- */

static int isSkipped(char c) { return c == ' ' || c == ';' || (c >= '\t' && c <= '\r'); }

/* better-sqlite3's check that nothing but white space, `;` and comments follows the statement. */
static int onlyCommentsFollow(const char *tail) {
  for (char c; (c = *tail);) {
    if (isSkipped(c)) {
      ++tail;
      continue;
    }
    if (c == '/' && tail[1] == '*') {
      tail += 2;
      for (char d; (d = *tail); ++tail) {
        if (d == '*' && tail[1] == '/') {
          tail += 2;
          break;
        }
      }
    } else if (c == '-' && tail[1] == '-') {
      tail += 2;
      for (char d; (d = *tail); ++tail) {
        if (d == '\n') {
          ++tail;
          break;
        }
      }
    } else {
      return 0;
    }
  }
  return 1;
}

/*
 * Rows read before the rest are counted inside SQLite (run-statement.ts's COUNT_AFTER_ROWS): a
 * runaway join that passes the row cap is stopped after this many rows and one count, which
 * skips decoding every column of every row.
 */
#define COUNT_AFTER_ROWS 1000

/* The statement's rows counted up to `cap + 1`, as `countRows` counts them; -1 when it cannot be wrapped. */
static sqlite3_int64 countRows(sqlite3 *db, const char *sql, sqlite3_int64 cap) {
  size_t length = strlen(sql);
  while (length > 0 && (sql[length - 1] == ';' || sql[length - 1] == ' ' ||
                        (sql[length - 1] >= '\t' && sql[length - 1] <= '\r')))
    length--;
  char *wrapped = sqlite3_mprintf("SELECT count(*) FROM (SELECT 1 FROM (\n%.*s\n) LIMIT %lld)", (int)length, sql,
                                  (long long)(cap + 1));
  if (!wrapped) return -1;
  sqlite3_stmt *counter = NULL;
  sqlite3_int64 count = -1;
  if (sqlite3_prepare_v2(db, wrapped, -1, &counter, NULL) == SQLITE_OK && counter &&
      sqlite3_step(counter) == SQLITE_ROW)
    count = sqlite3_column_int64(counter, 0);
  sqlite3_finalize(counter);
  sqlite3_free(wrapped);
  return count;
}

static void answer(sqlite3_context *context, Text *out) {
  if (out->failed) {
    sqlite3_result_error_nomem(context);
  } else if ((sqlite3_int64)out->length >= sqlite3_limit(sqlite3_context_db_handle(context), SQLITE_LIMIT_LENGTH, -1)) {
    sqlite3_result_text(context, "{\"fallback\":true}", -1, SQLITE_STATIC);
  } else {
    sqlite3_result_text64(context, out->data, out->length, SQLITE_TRANSIENT, SQLITE_UTF8);
  }
}

static void answerError(sqlite3_context *context, Units *units, const char *message, int prepare) {
  Text out = {0};
  textPut(&out, "{\"error\":");
  jsonUtf8(&out, units, message);
  textPut(&out, prepare ? ",\"phase\":\"prepare\"}" : "}");
  answer(context, &out);
  sqlite3_free(out.data);
}

void symgenRunStatement(sqlite3_context *context, sqlite3 *db, const char *sql, int bytes, const RunLimits *limits) {
  Units units = {0};
  sqlite3_stmt *statement = NULL;
  const char *tail = NULL;
  if (sqlite3_prepare_v3(db, sql, bytes + 1, SQLITE_PREPARE_PERSISTENT, &statement, &tail) != SQLITE_OK) {
    answerError(context, &units, sqlite3_errmsg(db), 1);
    sqlite3_free(units.data);
    return;
  }
  if (statement == NULL) {
    answerError(context, &units, "The supplied SQL string contains no statements", 1);
    sqlite3_free(units.data);
    return;
  }
  if (!onlyCommentsFollow(tail)) {
    sqlite3_finalize(statement);
    answerError(context, &units, "The supplied SQL string contains more than one statement", 1);
    sqlite3_free(units.data);
    return;
  }
  const int width = sqlite3_column_count(statement);
  if (width < 1 || !sqlite3_stmt_readonly(statement)) {
    sqlite3_finalize(statement);
    sqlite3_result_text(context, "{\"refused\":true}", -1, SQLITE_STATIC);
    return;
  }

  Text preview = {0};
  uint32_t *a = NULL;
  uint32_t *b = NULL;
  size_t capacity = 0;
  sqlite3_int64 count = 0;
  sqlite3_int64 total = 0;
  const char *stop = NULL;
  int failed = 0;
  int rc;
  textPut(&preview, "[");
  while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
    if (count >= limits->maxRows) {
      stop = "rows";
      break;
    }
    if (count == COUNT_AFTER_ROWS && limits->maxRows > COUNT_AFTER_ROWS &&
        countRows(db, sql, limits->maxRows) > limits->maxRows) {
      stop = "rows";
      break;
    }
    if ((size_t)(count + 1) * (size_t)width > capacity) {
      size_t grown = capacity ? capacity * 2 : 256;
      while (grown < (size_t)(count + 1) * (size_t)width) grown *= 2;
      uint32_t *moreA = (uint32_t *)sqlite3_realloc64(a, grown * sizeof(uint32_t));
      if (moreA) a = moreA;
      uint32_t *moreB = moreA ? (uint32_t *)sqlite3_realloc64(b, grown * sizeof(uint32_t)) : NULL;
      if (!moreA || !moreB) {
        failed = 1;
        break;
      }
      b = moreB;
      capacity = grown;
    }
    const int previewed = count < limits->previewRows;
    if (previewed) textPut(&preview, count == 0 ? "[" : ",[");
    uint32_t *rowA = a + count * width;
    uint32_t *rowB = b + count * width;
    for (int column = 0; column < width; column++) {
      const int type = sqlite3_column_type(statement, column);
      Lanes lanes;
      if (previewed && column > 0) textPut(&preview, ",");
      if (type == SQLITE_INTEGER || type == SQLITE_FLOAT) {
        lanes = hashNumber(sqlite3_column_double(statement, column));
        total += 8;
        if (previewed) jsonNumber(&preview, statement, column, type);
      } else if (type == SQLITE_TEXT) {
        const unsigned char *text = sqlite3_column_text(statement, column);
        size_t length = 0;
        const uint16_t *decoded =
            decode(&units, text ? text : (const unsigned char *)"", (size_t)sqlite3_column_bytes(statement, column), &length);
        if (!decoded) {
          failed = 1;
          break;
        }
        lanes = hashSequence(TAG_STRING, decoded, length, 1);
        total += (sqlite3_int64)length;
        if (previewed) jsonString(&preview, decoded, length);
      } else if (type == SQLITE_BLOB) {
        const unsigned char *blob = (const unsigned char *)sqlite3_column_blob(statement, column);
        size_t length = (size_t)sqlite3_column_bytes(statement, column);
        lanes = hashSequence(TAG_BLOB, blob, length, 0);
        total += (sqlite3_int64)length;
        if (previewed) jsonBlob(&preview, blob, length);
      } else {
        lanes = hashWords(TAG_NULL, 0, 0);
        total += 8;
        if (previewed) textPut(&preview, "null");
      }
      rowA[column] = lanes.a;
      rowB[column] = lanes.b;
    }
    if (failed) break;
    if (previewed) textPut(&preview, "]");
    if (total > limits->maxBytes) {
      stop = "bytes";
      break;
    }
    count++;
  }
  if (failed || preview.failed) {
    sqlite3_result_error_nomem(context);
  } else if (stop) {
    sqlite3_result_text(context, stop[0] == 'r' ? "{\"stop\":\"rows\"}" : "{\"stop\":\"bytes\"}", -1, SQLITE_STATIC);
  } else if (rc != SQLITE_DONE) {
    if ((rc & 0xff) == SQLITE_INTERRUPT) {
      sqlite3_result_text(context, "{\"timeout\":true}", -1, SQLITE_STATIC);
    } else {
      answerError(context, &units, sqlite3_errmsg(db), 0);
    }
  } else {
    Text out = {0};
    textPut(&preview, "]");
    char head[48];
    snprintf(head, sizeof head, "{\"rows\":%lld,", (long long)count);
    textPut(&out, head);
    if (!writeKeys(&out, a, b, width, count, limits->mode)) out.failed = 1;
    textPut(&out, ",\"columns\":[");
    for (int column = 0; column < width; column++) {
      if (column > 0) textPut(&out, ",");
      const char *name = sqlite3_column_name(statement, column);
      if (name) {
        jsonUtf8(&out, &units, name);
      } else {
        textPut(&out, "null");
      }
    }
    textPut(&out, "],\"preview\":");
    if (!preview.failed) textAdd(&out, preview.data, preview.length);
    textPut(&out, "}");
    answer(context, &out);
    sqlite3_free(out.data);
  }
  sqlite3_finalize(statement);
  sqlite3_free(preview.data);
  sqlite3_free(a);
  sqlite3_free(b);
  sqlite3_free(units.data);
}
