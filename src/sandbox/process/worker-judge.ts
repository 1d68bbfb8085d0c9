/**
 * Python for the worker's verdicts, run where no candidate can reach: tests are split into probes
 * (the parts that need the candidate's names, evaluated in its process) and the rest of each
 * assert (comparisons, expected values, `math.isclose`, `set(...)`), evaluated here on values
 * decoded into builtin types only; a value of any other type never equals anything. A pass is
 * shown only by a complete report whose every test holds here; an early exit is a failure.
 */
export const workerJudgeSource = String.raw`
SAFE_MODULES = {'math', 'cmath', 're', 'collections', 'itertools', 'functools', 'heapq', 'operator',
                'string', 'fractions', 'decimal', 'statistics', 'bisect', 'copy'}

# Builtins a test may use on the worker side; those that run code, open files or reach into
# objects by a name the candidate could supply stay on the candidate's side.
BUILTIN_NAMES = {name for name in dir(builtins) if not name.startswith('_')} - {
    'eval', 'exec', 'compile', 'open', 'input', 'breakpoint', 'globals', 'locals', 'vars', 'getattr',
    'setattr', 'delattr', 'help', 'exit', 'quit', 'print', 'memoryview', 'copyright', 'credits', 'license'}

DEFINED = re.compile(r'^(?:async\s+def|def|class)\s+(\w+)|^(\w+(?:\s*,\s*\w+)*)\s*(?::[^=\n]*)?=(?!=)|^import\s+(.+)|^from\s+\S+\s+import\s+(.+)', re.M)

def defined_names(code):
    names = set()
    for match in DEFINED.finditer(code):
        text = match.group(1) or match.group(2) or match.group(3) or match.group(4) or ''
        for part in text.replace('(', ' ').replace(')', ' ').split(','):
            words = part.split()
            if words:
                names.add(words[-1].split('.')[0] if words[-1] != '*' else '*')
    return names

class Unsupported:
    __slots__ = ('name',)
    __hash__ = None
    def __init__(self, name):
        self.name = name
    def __eq__(self, other):
        return False
    def __ne__(self, other):
        return True
    def __bool__(self):
        raise TypeError('the candidate returned a value of type ' + self.name + ', which symgen does not compare')
    def __repr__(self):
        return '<unsupported value: ' + self.name + '>'

def decode(value, depth=0):
    if value is None or type(value) in (bool, str):
        return value
    if depth > 120 or type(value) is not list or not value or type(value[0]) is not str:
        raise ValueError('malformed value')
    tag = value[0]
    items = lambda: [decode(item, depth + 1) for item in value[1]]
    if tag == 'i':
        return int(value[1], 16)
    if tag == 'f':
        return float.fromhex(value[1])
    if tag == 'c':
        return complex(float.fromhex(value[1]), float.fromhex(value[2]))
    if tag in ('b', 'ba'):
        data = base64.b64decode(value[1])
        return data if tag == 'b' else bytearray(data)
    if tag == 'l':
        return items()
    if tag == 't':
        return tuple(items())
    if tag == 's':
        return set(items())
    if tag == 'fs':
        return frozenset(items())
    if tag in ('d', 'od', 'ct'):
        pairs = [tuple(pair) for pair in items()]
        return {'d': dict, 'od': collections.OrderedDict, 'ct': collections.Counter}[tag](dict(pairs))
    if tag == 'dq':
        return collections.deque(items())
    if tag == 'r':
        return range(int(value[1], 16), int(value[2], 16), int(value[3], 16))
    if tag == 'q':
        import fractions
        return fractions.Fraction(int(value[1], 16), int(value[2], 16))
    if tag == 'D':
        import decimal
        return decimal.Decimal(value[1])
    if tag == 'dk':
        return dict.fromkeys(items()).keys()
    if tag == 'dv':
        return dict(enumerate(items())).values()
    if tag == 'di':
        return dict(tuple(pair) for pair in items()).items()
    if tag == 'it':
        return iter(items())
    if tag == '?':
        return Unsupported(str(value[1])[:100])
    raise ValueError('malformed value')

def canon(value, depth=0):
    # The canonical text of a decoded (builtin) value, for agreement across candidates.
    if depth > 40:
        return '...'
    if isinstance(value, Unsupported):
        raise TypeError(repr(value))
    if value is None or isinstance(value, bool) or isinstance(value, int):
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
        return 'complex(' + canon(value.real) + ',' + canon(value.imag) + ')'
    if isinstance(value, (str, bytes)):
        return repr(value)
    if isinstance(value, (list, tuple)):
        open_, close = ('[', ']') if isinstance(value, list) else ('(', ')')
        return open_ + ','.join(canon(item, depth + 1) for item in value) + close
    if isinstance(value, (set, frozenset)):
        return '{' + ','.join(sorted(canon(item, depth + 1) for item in value)) + '}'
    if isinstance(value, dict):
        return 'dict{' + ','.join(sorted(canon(k, depth + 1) + ':' + canon(v, depth + 1) for k, v in value.items())) + '}'
    if hasattr(value, '__next__'):
        return 'iter[' + ','.join(canon(item, depth + 1) for item in value) + ']'
    return repr(value)

class Planner:
    def __init__(self, trusted):
        self.trusted = trusted
        self.probes = []
        self.forced = set()

    def is_trusted(self, node):
        bound = set()
        for part in ast.walk(node):
            if id(part) in self.forced or isinstance(part, (ast.NamedExpr, ast.Await, ast.Yield, ast.YieldFrom)):
                return False
            if isinstance(part, ast.Lambda):
                bound.update(argument.arg for argument in ast.walk(part.args) if isinstance(argument, ast.arg))
            elif isinstance(part, ast.comprehension):
                bound.update(name.id for name in ast.walk(part.target) if isinstance(name, ast.Name))
        return all(name.id in self.trusted or name.id in bound for name in ast.walk(node) if isinstance(name, ast.Name))

    def probe(self, node):
        self.probes.append(ast.unparse(node))
        return ast.copy_location(ast.Name(id='__symgen_p%d' % (len(self.probes) - 1), ctx=ast.Load()), node)

    def visit(self, node):
        if id(node) in self.forced:
            return self.probe(node)
        if not isinstance(node, ast.expr) or self.is_trusted(node):
            return node
        if isinstance(node, (ast.Compare, ast.UnaryOp, ast.BinOp, ast.Tuple, ast.List, ast.Set, ast.Dict, ast.Starred)):
            for field, old in ast.iter_fields(node):
                if isinstance(old, list):
                    setattr(node, field, [self.visit(item) if isinstance(item, ast.AST) else item for item in old])
                elif isinstance(old, ast.AST):
                    setattr(node, field, self.visit(old))
            return node
        if isinstance(node, ast.Call) and self.is_trusted(node.func):
            node.args = [self.visit(arg) for arg in node.args]
            for keyword in node.keywords:
                keyword.value = self.visit(keyword.value)
            return node
        return self.probe(node)

def plan_tests(tests, code):
    global ast  # imported on first use: bash candidates and plain scripts never pay for it
    import ast
    # Each test statement is split: the parts that need the candidate's names (its function calls)
    # become probes evaluated in the candidate's process and sent back as typed builtin values;
    # the rest of each assert (the comparison, expected values, math.isclose, set(...)) is
    # evaluated here, in the worker, which the candidate can neither see nor reach.
    # A test's helpers (set, sorted, abs, math.isclose, ...) always mean the real ones, whatever the
    # candidate rebinds: otherwise a candidate could redefine the expected side of a comparison.
    # The one exception is a builtin name the candidate defines and the test calls as the function
    # under test (the left of the comparison: MBPP 126 defines sum), which is the candidate's.
    shadowed = defined_names(code) & BUILTIN_NAMES
    trusted = BUILTIN_NAMES | SAFE_MODULES
    steps, checks = [], []
    for index, text in enumerate(tests):
        try:
            tree = ast.parse(text)
        except SyntaxError as error:
            checks.append(('invalid', index, 'SyntaxError in test %d: %s' % (index + 1, error.msg)))
            continue
        for statement in tree.body:
            if isinstance(statement, ast.Assert):
                planner = Planner(trusted)
                tested = statement.test.left if isinstance(statement.test, ast.Compare) else statement.test
                if isinstance(tested, ast.UnaryOp):
                    tested = tested.operand
                if isinstance(tested, ast.Call) and isinstance(tested.func, ast.Name) and tested.func.id in shadowed:
                    planner.forced.add(id(tested))
                residual = planner.visit(statement.test)
                first = len(steps)
                steps.extend(['eval', probe] for probe in planner.probes)
                expression = ast.fix_missing_locations(ast.Expression(body=residual))
                checks.append(('assert', index, compile(expression, '<test>', 'eval'), list(range(first, len(steps)))))
            else:
                steps.append(['exec', ast.unparse(statement)])
                checks.append(('exec', index, len(steps) - 1))
                for node in ast.walk(statement):
                    if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                        trusted.discard(node.id)
                    elif isinstance(node, (ast.Import, ast.ImportFrom)):
                        for alias in node.names:
                            if isinstance(node, ast.ImportFrom) or alias.asname or alias.name not in SAFE_MODULES:
                                trusted.discard((alias.asname or alias.name).split('.')[0])
    return steps, checks

def trusted_scope(code_obj):
    scope = {'__builtins__': builtins}
    for name in code_obj.co_names:
        if name in SAFE_MODULES:
            scope[name] = __import__(name)
    return scope

def raised_parts(result):
    parts = [str(part) for part in result[1:3]] + ['', '']
    return clip(parts[0] or 'the program raised', 500), clip(parts[1], 4000)

def judge_tests(tests, checks, results):
    outcomes = ['error'] * len(tests)
    first_failure = None
    failed_tests = set()
    for check in checks:
        kind, index = check[0], check[1]
        if index in failed_tests:
            continue
        outcome, error, trace = 'pass', None, None
        if kind == 'invalid':
            outcome, error = 'error', check[2]
        elif kind == 'exec':
            result = results[check[2]] if check[2] < len(results) else None
            if result is None:
                outcome, error = 'error', 'the program stopped before test %d' % (index + 1)
            elif result[0] != 'ok':
                outcome, error, trace = 'error', *raised_parts(result)
        else:
            code_obj, probe_indexes = check[2], check[3]
            scope = trusted_scope(code_obj)
            for number, step in enumerate(probe_indexes):
                result = results[step] if step < len(results) else None
                if result is None:
                    outcome, error = 'error', 'the program stopped before test %d' % (index + 1)
                    break
                if result[0] != 'ok':
                    outcome, error, trace = 'error', *raised_parts(result)
                    break
            if outcome == 'pass':
                try:
                    for number, step in enumerate(probe_indexes):
                        scope['__symgen_p%d' % number] = decode(results[step][1])
                    if not eval(code_obj, scope):
                        outcome, error = 'fail', 'AssertionError: test %d failed: %s' % (index + 1, clip(tests[index], 300))
                except Exception as error_:
                    outcome, error = 'error', 'test %d: %s: %s' % (index + 1, type(error_).__name__, clip(str(error_), 300))
        if outcome != 'pass':
            failed_tests.add(index)
            if first_failure is None:
                first_failure = (error, trace)
        outcomes[index] = outcome
    return outcomes, first_failure

def plan_module(tests):
    # HumanEval-style tests define a function (check(candidate)) and call it as a statement; others
    # loop over asserts or call something as a statement. Such code cannot be split into probes
    # and would otherwise run, and report its own success, in the candidate; so the whole test
    # code runs here instead, the program's names resolved through the candidate (RemoteScope).
    # Returns each test compiled (or the text of its SyntaxError), or None when every statement is
    # an assert, an import or an assignment (the probes of plan_tests).
    global ast
    import ast
    trees = []
    for index, text in enumerate(tests):
        try:
            trees.append(ast.parse(text))
        except SyntaxError as error:
            trees.append('SyntaxError in test %d: %s' % (index + 1, error.msg))
    simple = (ast.Assert, ast.Import, ast.ImportFrom, ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Pass)
    def is_simple(node):
        return isinstance(node, simple) or (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))
    if all(is_simple(node) for tree in trees if not isinstance(tree, str) for node in tree.body):
        return None
    return [tree if isinstance(tree, str) else compile(tree, '<test %d>' % (index + 1), 'exec') for index, tree in enumerate(trees)]

class CandidateRaised(Exception):
    pass

def answered(reply):
    # A candidate's answer as a fresh builtin value, or its exception raised here: a builtin
    # exception type by name (so that a test expecting ValueError sees one), else CandidateRaised.
    if type(reply) is list and reply and reply[0] == 'ok' and len(reply) == 2:
        return decode(reply[1])
    if type(reply) is list and len(reply) >= 3 and reply[0] == 'raise':
        name, text = str(reply[1]), clip(str(reply[2]), 500)
        kind = getattr(builtins, name, None)
        if isinstance(kind, type) and issubclass(kind, Exception) and not issubclass(kind, AssertionError):
            try:
                error = kind(text)
            except Exception:
                error = CandidateRaised(text)
        else:
            error = CandidateRaised(text)
        raise error
    raise CandidateGone('the program answered out of protocol')

class Remote:
    # A function of the program, called in the candidate's process on encoded builtin arguments.
    __slots__ = ('session', 'name')
    def __init__(self, session, name):
        self.session, self.name = session, name
    def __call__(self, *args, **kwargs):
        encode = make_encoder(strict=True)
        return answered(self.session.ask(['call', self.name, encode(list(args)), encode(dict(kwargs))]))
    def __repr__(self):
        return '<the program\'s ' + self.name + '>'

class RemoteScope(dict):
    # The test code's globals: its own definitions, the real builtins and SAFE_MODULES (whatever
    # the program rebinds), and any other name from the program: a function becomes a Remote, a
    # value is copied over as a builtin value.
    def __init__(self, session):
        super().__init__(__builtins__=builtins, __name__='__symgen_tests__')
        self.session = session
    def __missing__(self, name):
        if hasattr(builtins, name):
            raise KeyError(name)
        if name in SAFE_MODULES:
            value = __import__(name)
        else:
            reply = self.session.ask(['lookup', name])
            if reply == ['callable']:
                value = Remote(self.session, name)
            elif type(reply) is list and reply and reply[0] == 'ok':
                value = answered(reply)
            else:
                raise KeyError(name)
        self[name] = value
        return value

def judge_module(tests, module, session):
    # Runs each check-style test here, in order, in one RemoteScope, until the deadline: a test
    # passes when its code ran to the end; a false assert fails it; anything raised, the candidate
    # ending or answering out of protocol errs it. Returns (outcomes, first failure).
    scope = RemoteScope(session)
    outcomes, first_failure = ['error'] * len(tests), None
    def expire(*_):
        raise JudgeTimeout()
    previous = signal.signal(signal.SIGALRM, expire)
    try:
        for index, code_obj in enumerate(module):
            outcome, error = 'pass', None
            if isinstance(code_obj, str):
                outcome, error = 'error', code_obj
            else:
                remaining = session.deadline - time.monotonic()
                if remaining <= 0:
                    raise JudgeTimeout()
                signal.setitimer(signal.ITIMER_REAL, remaining)
                try:
                    exec(code_obj, scope)
                except AssertionError:
                    outcome, error = 'fail', 'AssertionError: test %d failed: %s' % (index + 1, clip(tests[index], 300))
                except CandidateGone:
                    outcome, error = 'error', 'the program stopped before test %d finished' % (index + 1)
                except Exception as error_:
                    outcome, error = 'error', 'test %d: %s: %s' % (index + 1, type(error_).__name__, clip(str(error_), 300))
                finally:
                    signal.setitimer(signal.ITIMER_REAL, 0)
            outcomes[index] = outcome
            if outcome != 'pass' and first_failure is None:
                first_failure = (error, None)
    except JudgeTimeout:
        session.kill()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    return outcomes, first_failure

def plan(request):
    if request['kind'] != 'python':
        return [], None, 0, None
    module = plan_module(request.get('tests') or [])
    if module is None:
        steps, checks = plan_tests(request.get('tests') or [], request['code'])
    else:
        steps, checks = [], None
    test_steps = len(steps)
    if request.get('calls') is not None:
        calls = request['calls']
        steps.extend(['call', calls.get('entry') or '', source] for source in calls['inputs'])
    if request.get('expression'):
        steps.append(['eval', request['expression']])
    return steps, checks, test_steps, module

def json_value(value, limit):
    try:
        text = json.dumps(value, sort_keys=True)
    except (TypeError, ValueError):
        return None
    return json.loads(text) if len(text) <= limit else None

def judge_python(request, reply, steps, checks, first, values, judged=None):
    # The verdict of a Python candidate, from the report on the values channel: a pass is shown
    # only by a complete report whose every test holds here.
    code = reply['exitCode']
    try:
        report = json.loads(values.decode('utf-8')) if values else None
        if type(report) is not dict or ('setupError' not in report and (report.get('done') is not True or type(report.get('steps')) is not list)):
            report = None
    except ValueError:
        report = None
    if values is None:
        reply.update(status='error', error='the program reported more than %d bytes of values' % MAX_VALUES_BYTES)
        return
    if report is not None and 'setupError' in report and code == 71:
        reply.update(status='crash', error='sandbox setup failed: ' + str(report['setupError'])[:300])
        return
    if report is None or code != 0:
        reply.update(status='error', error='exited with code %d before finishing' % code)
        return
    results = report['steps']
    if 'raised' in report:
        raised = report['raised']
        error = str(raised.get('error'))[:500]
        if error.startswith('OSError: [Errno 27]'):
            # EFBIG: RLIMIT_FSIZE (a candidate is pid 1 of its namespace, so SIGXFSZ is ignored).
            error = 'output or file size limit of %d bytes exceeded (%s)' % (request['limits']['maxFileBytes'], error)
        reply.update(status='error', error=error, traceback=str(raised.get('traceback'))[:4000])
        return
    if 'exit' in report and (steps or request.get('tests') or report['exit'] not in ('None', '0')):
        reply.update(status='error', error='SystemExit: %s%s' % (report['exit'][:100], ' before its tests finished' if steps else ''))
        return
    limit = request['limits']['maxOutputBytes']
    tests = request.get('tests') or []
    if tests:
        outcomes, failed = judged if judged is not None else judge_tests(tests, checks, results)
        reply['tests'] = outcomes
        if failed is not None:
            reply.update(status='error', error=clip(str(failed[0]), 500))
            if failed[1]:
                reply['traceback'] = clip(str(failed[1]), 4000)
            return
    if request.get('calls') is not None:
        outputs = []
        count = len(request['calls']['inputs'])
        for result in results[first:first + count]:
            text = '!error'
            if result[0] == 'ok':
                try:
                    text = canon(decode(result[1]))
                except Exception:
                    text = '!error'
            import hashlib
            outputs.append([hashlib.sha256(text.encode('utf-8', 'backslashreplace')).hexdigest()[:20], text[:160]])
        if len(outputs) < count:
            reply.update(status='error', error='the program stopped before every input was tried')
            return
        reply['outputs'] = outputs
        first += count
    if request.get('expression'):
        result = results[first] if first < len(results) else None
        if result is None:
            reply.update(status='error', error='the program stopped before its expression was evaluated')
            return
        if result[0] != 'ok':
            error, trace = raised_parts(result)
            reply.update(status='error', error=error, traceback=trace)
            return
        try:
            value = decode(result[1])
        except Exception:
            reply.update(status='error', error='the program reported a malformed value')
            return
        reply['resultRepr'] = clip(repr(value), limit)
        converted = json_value(value, limit)
        if converted is not None or value is None:
            reply['result'] = converted
    reply['status'] = 'ok'
`;
