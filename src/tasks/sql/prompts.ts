import { checkPrompts } from '../shared/check-prompts.js';
import type { TaskGeneration } from '../spec.js';

/**
 * SQL's prompts, after SymGen's Spider and GeoQuery prompt builders (`dataset_wrappers/spider.py`,
 * `geoquery_sql.py`) for chat models. `gen_q` variables: `knowledge` (CREATE TABLE statements with
 * example rows), `demonstrations` (`question`, `program`), `condition` (what the question should be
 * about, in words, or empty), `db_id`. `gen_a` adds `matches` (`table`, `column`, `value`,
 * `literal`: cell values matching the question) and `question`.
 */
export const sqlPrompts: TaskGeneration['prompts'] = {
  genQ: {
    system:
      'You write questions that a person could ask about a database. Answer with one question in plain English on one line, with no SQL and no explanation.',
    user: `{{ knowledge }}

{% if demonstrations.length %}
-- Examples of questions people asked:
{% for demo in demonstrations %}
-- Question: {{ demo.question }}
{% endfor %}

{% endif %}
-- Write a question that can be answered based on the above tables{% if condition %}: {{ condition }}{% endif %}.
-- Question:`,
  },
  genA: {
    system:
      'You translate questions into SQLite queries over the given tables. Answer with exactly one SQLite query in a ```sql code block.',
    user: `{{ knowledge }}
{% if matches.length %}

-- Values in the database that match words of the question:
{% for match in matches %}
-- {{ match.table }}.{{ match.column }} = {{ match.literal }}
{% endfor %}
{% endif %}

{% if demonstrations.length %}
-- Examples:
{% for demo in demonstrations %}
-- Question: {{ demo.question }}
{{ demo.program }}

{% endfor %}
{% endif %}
-- Using valid SQLite, answer the following question for the tables provided above.
-- Question: {{ question }}`,
  },
  ...checkPrompts('SQL query', 'sql'),
};
