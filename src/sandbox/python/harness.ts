/**
 * Python run after a math candidate to find its answer: the variable `answer` (or `result`), else
 * the value of `solution()`; `None` when neither exists (the caller then reads the last number printed).
 * The value goes back as it is: the sandbox's worker decodes builtin numbers and strings only.
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
    if isinstance(value, bool):
        return repr(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, int):
        return int(value)
    return value
`;
