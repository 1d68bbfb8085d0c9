export { createLlamaCpp, type LlamaCppOptions, type LlamaCppProvider } from './llama-cpp-provider.js';
