export {
  type DatasetExample,
  type DatasetLineError,
  isLineError,
  toDatasetExample,
} from './dataset-example.js';
export { type Dataset, readDataset, readDatasetIfExists } from './read-dataset.js';
export { foldQuestion, questionWords } from './text.js';
