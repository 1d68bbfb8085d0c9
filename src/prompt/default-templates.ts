import type { TemplateConfig } from '../config/index.js';

/**
 * Default `gen_q` prompt (SymGen's question prompt, for chat models). Variables: `knowledge` (CREATE
 * TABLE statements with example rows), `demonstrations` (`question`, `program`), `condition` (what the
 * question should be about, in words, or empty), `db_id`.
 */
export const defaultGenQTemplate: TemplateConfig = {
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
};

/**
 * Default `gen_a` prompt (SymGen's answer prompt, for chat models). Variables: `knowledge` (with the
 * rows matching the question), `matches` (`table`, `column`, `value`, `literal`), `demonstrations`,
 * `question`, `db_id`.
 */
export const defaultGenATemplate: TemplateConfig = {
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
};
