"""Run the vote cases of test/symgen-filter-cases.json through SymGen's own filter code and check (or,
with --write, record) what it keeps: HKUNLP/SymGen's src/filters/filter_tool.py, the gen_a-mv steps
(configs/filter_config/gen_a-mv.yaml) after post_proc: by_dedup, by_exec, by_majority_vote with
filter_entry true (an example below min_votes is dropped, as `symgen verify` rejects it), by_max_logprob.

src/verify/vote.test.ts holds `symgen verify --count distinct` to the same outcomes. Needs numpy and a
SymGen checkout (its torch and tqdm imports are stubbed: the functions used do not need them).

usage: python3 scripts/symgen-filter-cases.py SYMGEN_CHECKOUT [--write]
"""
import json
import os
import subprocess
import sys
import tempfile
import types
from pathlib import Path

CASES = Path(__file__).resolve().parent.parent / 'test' / 'symgen-filter-cases.json'
FILES = ['src/__init__.py', 'src/utils/__init__.py', 'src/utils/misc.py', 'src/filters/filter_tool.py']


def read_symgen(checkout, path):
    """A file of the checkout: from its work tree, else from its HEAD commit (a bare mirror)."""
    file = Path(checkout) / path
    if file.exists():
        return file.read_text()
    return subprocess.run(['git', '-C', checkout, 'show', f'HEAD:{path}'], check=True,
                          capture_output=True, text=True).stdout


def load_filter_tool(checkout):
    root = tempfile.mkdtemp(prefix='symgen-filter-')
    for path in FILES:
        target = Path(root) / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(read_symgen(checkout, path))
    # Stubs for imports the functions used here never call.
    tqdm = types.ModuleType('tqdm')
    tqdm.tqdm = lambda iterable, **_: iterable
    sys.modules['tqdm'] = tqdm
    for name in ['torch', 'torch.utils', 'torch.utils.data']:
        sys.modules[name] = types.ModuleType(name)
    sys.modules['torch.utils.data'].BatchSampler = None
    sys.path.insert(0, root)
    from src.filters import filter_tool  # noqa: E402
    return filter_tool


def execute(entry):
    """SymGen's exec function for a case: the result the case gives the query, or an exception."""
    result = entry['results'][entry['query']]
    return ('exception', None) if result is None else ('result', result)


def equal(a, b):
    return a == b


def run_case(filter_tool, case):
    candidates = [{'query': c['program'], 'logprob': c['logprob']} for c in case['candidates']]
    results = {c['program']: c['result'] for c in case['candidates']}
    entries = [{'id': case['name'], 'results': results, 'candidates': candidates}]
    entries = filter_tool.by_dedup(entries, field='query')
    entries = filter_tool.by_exec(entries, func=execute, n_processes=1)
    if entries:
        entries = filter_tool.by_majority_vote(entries, check_equal_func=equal,
                                               min_votes=case['minVotes'], filter_entry=True)
    if not entries:
        return {'kept': False}
    entries = filter_tool.by_max_logprob(entries)
    return {'kept': True, 'program': entries[0]['candidates'][0]['query']}


def main():
    checkout = sys.argv[1]
    filter_tool = load_filter_tool(checkout)
    document = json.loads(CASES.read_text())
    wrong = 0
    for case in document['cases']:
        outcome = run_case(filter_tool, case)
        if '--write' in sys.argv:
            case['symgen'] = outcome
        elif case.get('symgen') != outcome:
            wrong += 1
            print(f"{case['name']}: the file says {case.get('symgen')}, SymGen gives {outcome}")
    if '--write' in sys.argv:
        CASES.write_text(json.dumps(document, indent=2) + '\n')
    print(f"{len(document['cases'])} cases, {wrong} differ from SymGen's filter")
    sys.exit(1 if wrong else 0)


if __name__ == '__main__':
    main()
