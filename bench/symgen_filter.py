"""A re-implementation of SymGen's gen_a filter for SQL (HKUNLP/SymGen, configs/filter_config/gen_a-mv.yaml:
post_proc -> dedup -> exec -> majority_vote(min_votes) -> argmax), written from its published algorithm
for benchmarking on the same candidates file. Same steps and the same costs: a multiprocessing Pool
(8 processes) with one task and one fresh sqlite3 connection per candidate, a 5 s timeout per candidate,
and an O(n^2) pairwise result comparison per question. Differences: sqlparse is not installed here, so
post-processing skips its comment stripping (it only cuts at "/*", as SymGen also does first).

usage: python3 symgen_filter.py DB.sqlite IN.jsonl OUT.jsonl [min_votes]
"""
import json
import re
import sqlite3
import sys
from itertools import groupby
from multiprocessing import Pool, TimeoutError

DB = sys.argv[1]


def sql_process(text):
    completion = text.replace('\n', ' ')
    completion = re.sub(r'\\t', '  ', completion)
    completion = re.sub(' +', ' ', completion)
    completion = completion.split('/*')[0].strip()
    if completion.startswith('SELECT'):
        completion = completion[6:].strip()
    return f'SELECT {completion}'


def add_collate_nocase(query):
    values = re.findall('"[^"]*"', query) + re.findall("'[^']*'", query)
    for value in set(values):
        query = query.replace(value, value + ' COLLATE NOCASE ')
    return query


def exec_on_db(query):
    connection = sqlite3.connect(DB)
    connection.text_factory = lambda b: b.decode(errors='ignore')
    cursor = connection.cursor()
    try:
        cursor.execute(add_collate_nocase(query))
        result = cursor.fetchall()
        return ('result', result)
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
    if num == 0:
        return None
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
    kept = [c for c, v in zip(candidates, votes) if v == best]
    return max(kept, key=lambda c: c['logprob'])


def main():
    source, target = sys.argv[2], sys.argv[3]
    min_votes = float(sys.argv[4]) if len(sys.argv) > 4 else 5
    entries = [json.loads(line) for line in open(source) if line.strip()]
    for entry in entries:
        cands = [{'query': sql_process(c['program']), 'logprob': c.get('logprob', 0.0)} for c in entry['candidates']]
        entry['candidates'] = [{'query': k, 'logprob': max(x['logprob'] for x in g)} for k, g in groupby(cands, lambda c: c['query'])]
    flat = [(i, c) for i, e in enumerate(entries) for c in e['candidates']]
    pool = Pool(8)
    jobs = [pool.apply_async(exec_on_db, (c['query'],)) for _, c in flat]
    for (_, c), job in zip(flat, jobs):
        try:
            c['result'] = job.get(timeout=5)
        except TimeoutError:
            c['result'] = ('exception', None)
    pool.close()
    pool.terminate()
    for entry in entries:
        entry['candidates'] = [c for c in entry['candidates'] if c['result'][0] == 'result']
    with Pool(8) as p:
        chosen = p.starmap(vote, [(e, min_votes) for e in entries])
    kept = 0
    with open(target, 'w') as out:
        for entry, best in zip(entries, chosen):
            if best is not None:
                kept += 1
                out.write(json.dumps({'id': entry['id'], 'question': entry['question'], 'query': best['query']}) + '\n')
    print(f'symgen filter: kept {kept} of {len(entries)}', file=sys.stderr)


if __name__ == '__main__':
    main()
