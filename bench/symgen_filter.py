"""A re-implementation of SymGen's gen_a filter for SQL (HKUNLP/SymGen: configs/filter_config/gen_a-mv.yaml,
src/filters/geoquery_sql_filter.py, filter_tool.py, utils/misc.py, utils/spider/sql_util.py), written from its
published algorithm for benchmarking on the same candidates file. The same steps at the same costs:
post_proc (newline and space folding, cut at "/*", `SELECT ` prefix, sqlparse.format(strip_comments=True))
over a Pool(8); dedup of adjacent equal queries keeping the largest logprob; exec with one pool task and one
fresh sqlite3 connection per candidate (candidates flattened and packed back with deepcopy, YEAR(CURDATE())
replaced, COLLATE NOCASE added after every literal, a 5 s timeout each); only executable candidates kept;
majority vote with an O(n^2) pairwise result_eq per question over a Pool(8); argmax logprob.

Needs sqlparse (Debian: apt-get install python3-sqlparse). Without it, say --no-sqlparse to skip that step.

usage: python3 symgen_filter.py DB.sqlite IN.jsonl OUT.jsonl [min_votes] [--no-sqlparse]
"""
import json
import re
import sqlite3
import sys
from copy import deepcopy
from functools import partial
from itertools import groupby
from multiprocessing import Pool, TimeoutError

ARGS = [a for a in sys.argv[1:] if not a.startswith('--')]
USE_SQLPARSE = '--no-sqlparse' not in sys.argv
if USE_SQLPARSE:
    import sqlparse
DB = ARGS[0]
PROCESSES = 8


def sql_process(text):
    completion = text.replace('\n', ' ')
    completion = re.sub(r'\\t', '  ', completion)
    completion = re.sub(' +', ' ', completion)
    completion = completion.split('/*')[0].strip()
    if completion.startswith('SELECT'):
        completion = completion[6:].strip()
    query = f'SELECT {completion}'
    return sqlparse.format(query, strip_comments=True) if USE_SQLPARSE else query


def post_process(entry):
    for candidate in entry['candidates']:
        candidate['query'] = sql_process(candidate.pop('text'))
    return entry


def in_pool(func, items):
    """SymGen's parallel_run: imap_unordered over a Pool(8), results put back in order."""
    results = {}
    with Pool(PROCESSES) as pool:
        for index, result in pool.imap_unordered(partial(indexed, func=func), enumerate(items)):
            results[index] = result
    return [results[i] for i in range(len(items))]


def indexed(pair, func):
    index, item = pair
    return index, func(item)


def add_collate_nocase(query):
    values = re.findall('"[^"]*"', query) + re.findall("'[^']*'", query)
    for value in set(values):
        query = query.replace(value, value + ' COLLATE NOCASE ')
    return query


def exec_on_db(entry):
    query = re.sub(r'YEAR\s*\(\s*CURDATE\s*\(\s*\)\s*\)\s*', '2020', entry['query'], flags=re.IGNORECASE)
    connection = sqlite3.connect(DB)
    connection.text_factory = lambda b: b.decode(errors='ignore')
    cursor = connection.cursor()
    try:
        cursor.execute(add_collate_nocase(query))
        return ('result', cursor.fetchall())
    except Exception:
        return ('exception', None)
    finally:
        cursor.close()
        connection.close()


def unorder_row(row):
    return tuple(sorted(row, key=lambda x: str(x) + str(type(x))))


def result_eq(a, b):
    if len(a) == 0 and len(b) == 0:
        return True
    if str(a) == str(b):
        return True
    if len(a) != len(b) or len(a[0]) != len(b[0]):
        return False
    return set(unorder_row(r) for r in a) == set(unorder_row(r) for r in b)


def vote(entry, min_votes):
    candidates = entry['candidates']
    num = len(candidates)
    if num > 1:
        votes = [1] * num
        for i in range(num):
            for j in range(i + 1, num):
                if result_eq(candidates[i]['result'][1], candidates[j]['result'][1]):
                    votes[i] += 1
                    votes[j] += 1
        best = max(votes)
        needed = min_votes if min_votes >= 1 else min_votes * num
        if best < needed:
            return None
        entry['candidates'] = [c for c, v in zip(candidates, votes) if v == best]
    return entry


def main():
    source, target = ARGS[1], ARGS[2]
    min_votes = float(ARGS[3]) if len(ARGS) > 3 else 5
    entries = []
    for line in open(source):
        if line.strip():
            raw = json.loads(line)
            entries.append({'id': raw['id'], 'question': raw['question'],
                            'candidates': [{'text': c['program'], 'logprob': c.get('logprob', 0.0)}
                                           for c in raw['candidates']]})
    entries = in_pool(post_process, entries)
    for entry in entries:
        entry['candidates'] = [{'query': key, 'logprob': max(c['logprob'] for c in group)}
                               for key, group in groupby(entry['candidates'], lambda c: c['query'])]
    # flatten (a deepcopy of the entry per candidate), execute, pack back
    flat, owners = [], []
    for index, entry in enumerate(entries):
        for candidate in entry.pop('candidates'):
            example = deepcopy(entry)
            example.update(candidate)
            flat.append(example)
            owners.append(index)
    pool = Pool(PROCESSES)
    jobs = [pool.apply_async(exec_on_db, (example,)) for example in flat]
    for example, job in zip(flat, jobs):
        try:
            example['result'] = job.get(timeout=5)
        except TimeoutError:
            example['result'] = ('exception', TimeoutError)
    pool.close()
    pool.terminate()
    pool.join()
    packed = {}
    for index, example in zip(owners, flat):
        candidate = {k: example.pop(k) for k in ('query', 'logprob', 'result')}
        if index not in packed:
            example['candidates'] = [candidate]
            packed[index] = deepcopy(example)
        else:
            packed[index]['candidates'].append(candidate)
    entries = [packed[k] for k in sorted(packed)]
    for entry in entries:
        entry['candidates'] = [c for c in entry['candidates'] if c['result'][0] == 'result']
    entries = [e for e in entries if e['candidates']]
    voted = [e for e in in_pool(partial(vote, min_votes=min_votes), entries) if e is not None]
    with open(target, 'w') as out:
        for entry in voted:
            best = max(entry['candidates'], key=lambda c: c['logprob'])
            out.write(json.dumps({'id': entry['id'], 'question': entry['question'], 'query': best['query']}) + '\n')
    print(f'symgen filter: kept {len(voted)} of {len(entries)}', file=sys.stderr)


if __name__ == '__main__':
    main()
