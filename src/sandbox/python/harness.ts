/**
 * Python run after a candidate, inside the sandbox, to call its function on shared inputs. Each
 * input is the source of an argument list (`[1, 2], 3`), evaluated afresh for every call so a
 * candidate that mutates its arguments cannot change another call. Each output is a canonical text
 * (floats to 10 significant digits, 3.0 as 3, sets and dicts sorted, iterators listed, memory
 * addresses removed) and its hash; an input that raises gives `!error`.
 */
export const INPUTS_HARNESS = `
def __symgen_canon(value, depth=0):
    import itertools, re, types
    if depth > 40:
        return '...'
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, int):
        return repr(value)
    if isinstance(value, float):
        if value != value:
            return 'nan'
        if value in (float('inf'), float('-inf')):
            return repr(value)
        if value == int(value) and abs(value) < 1e15:
            return repr(int(value))
        return format(value, '.10g')
    if isinstance(value, complex):
        return 'complex(' + __symgen_canon(value.real) + ',' + __symgen_canon(value.imag) + ')'
    if isinstance(value, (str, bytes)):
        return repr(value)
    if isinstance(value, list):
        return '[' + ','.join(__symgen_canon(item, depth + 1) for item in value) + ']'
    if isinstance(value, tuple):
        return '(' + ','.join(__symgen_canon(item, depth + 1) for item in value) + ')'
    if isinstance(value, (set, frozenset)):
        return '{' + ','.join(sorted(__symgen_canon(item, depth + 1) for item in value)) + '}'
    if isinstance(value, dict):
        return 'dict{' + ','.join(sorted(__symgen_canon(k, depth + 1) + ':' + __symgen_canon(v, depth + 1) for k, v in value.items())) + '}'
    if isinstance(value, (types.GeneratorType, map, filter, zip, range, enumerate, reversed)) or hasattr(value, '__next__'):
        return 'iter[' + ','.join(__symgen_canon(item, depth + 1) for item in itertools.islice(value, 10000)) + ']'
    return re.sub(r' at 0x[0-9a-fA-F]+', '', repr(value))

def __symgen_entry(name):
    import types
    if name:
        found = globals().get(name)
        return found if callable(found) else None
    functions = [value for key, value in list(globals().items())
                 if isinstance(value, types.FunctionType) and not key.startswith('__symgen')]
    return functions[-1] if functions else None

def __symgen_outputs(name, inputs):
    import hashlib
    entry = __symgen_entry(name)
    if entry is None:
        raise NameError('no function ' + (name or 'defined') + ' to call on the inputs')
    outputs = []
    for source in inputs:
        try:
            arguments = eval('(' + source + ',)', dict(globals())) if source.strip() else ()
            text = __symgen_canon(entry(*arguments))
        except BaseException as error:
            if isinstance(error, (KeyboardInterrupt, SystemExit)):
                raise
            text = '!error'
        outputs.append([hashlib.sha256(text.encode('utf-8', 'backslashreplace')).hexdigest()[:20], text[:160]])
    return outputs
`;

/**
 * Python run after a math candidate to find its answer: the variable `answer` (or `result`), else
 * the value of `solution()`; `None` when neither exists (the caller then reads the last number printed).
 */
export const ANSWER_HARNESS = `
def __symgen_answer():
    import fractions, decimal
    scope = globals()
    if 'answer' in scope and not callable(scope['answer']):
        value = scope['answer']
    elif 'result' in scope and not callable(scope['result']):
        value = scope['result']
    elif callable(scope.get('solution')):
        value = scope['solution']()
    else:
        return None
    if isinstance(value, (fractions.Fraction, decimal.Decimal)):
        value = float(value)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return repr(value)
    return value
`;
