export { type Budget, type BudgetLimits, type BudgetSpent, createBudget } from './budget-middleware.js';
