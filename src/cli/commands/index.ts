import type { Command } from 'commander';
import { defineCurate } from './curate.js';
import { defineEvaluate } from './evaluate.js';
import { defineExport } from './export.js';
import { defineGenerate } from './generate.js';
import { defineModels } from './models.js';
import { defineReport } from './report.js';
import { defineReview } from './review.js';
import { defineSample } from './sample.js';
import { defineVerify } from './verify.js';
import { defineWorker } from './worker.js';

/**
 * A CLI command definition: adds itself to the program. Its action imports the implementation
 * lazily so `symgen --help` stays fast, and reports its exit code through `setExitCode`.
 */
export type CommandDefinition = (program: Command, setExitCode: (code: number) => void) => void;

export const commands: CommandDefinition[] = [defineVerify, defineEvaluate, defineModels];
commands.push(defineGenerate, defineExport);
commands.push(defineSample);

// distributed runs (issue 19)
commands.push(defineWorker);

// curate, report (issue 7)
commands.push(defineCurate, defineReport);

// review (issue 18)
commands.push(defineReview);
