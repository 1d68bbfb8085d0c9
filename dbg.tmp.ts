import { loadSqlParser, sqlFeatures } from './src/tasks/sql/index.js';
import { measureMix, mixWeights } from './src/tasks/sql/mix.js';
await loadSqlParser();
const g = [...Array(8)].map((_, i) => sqlFeatures(`SELECT state.capital FROM state WHERE state.state_name='s${i}'`));
g.push(sqlFeatures('SELECT state.state_name FROM state ORDER BY state.population DESC LIMIT 1'));
const t = measureMix([sqlFeatures("SELECT state.capital FROM state WHERE state.state_name='ohio'"), sqlFeatures('SELECT state.state_name FROM state ORDER BY state.area DESC LIMIT 1')]);
console.log(JSON.stringify(t), JSON.stringify(g.map(f=>f.hardness)));
const w = mixWeights(g, t);
console.log(w, JSON.stringify(measureMix(g, w)));
