// Operator semantics, one function per operator family. Mixed-type rules that the documentation
// does not confirm are marked (unconfirmed) and live only here.
import type { BinaryOp, UnaryOp } from '../../compiler/cgpl/ast';
import { fail } from './errors';
import { int64, isTrue, truth, typeName, valuesEqual, type Value } from './values';

/**
 * `+`: numbers add, strings join. (unconfirmed) A number joined to a string is written in decimal;
 * anything else (null included) is an error so generated code keeps its explicit String(x).
 */
export function plus(a: Value, b: Value): Value {
  if (typeof a === 'bigint' && typeof b === 'bigint') return int64(a + b);
  if (typeof a === 'string' && typeof b === 'string') return a + b;
  if (typeof a === 'string' && typeof b === 'bigint') return a + b.toString();
  if (typeof a === 'bigint' && typeof b === 'string') return a.toString() + b;
  return fail(`'+' needs numbers or strings, got ${typeName(a)} and ${typeName(b)}`);
}

function numbers(op: string, a: Value, b: Value): [bigint, bigint] {
  if (typeof a !== 'bigint' || typeof b !== 'bigint') {
    fail(`'${op}' needs numbers, got ${typeName(a)} and ${typeName(b)}`);
  }
  return [a as bigint, b as bigint];
}

export function arithmetic(op: '-' | '*' | '/' | '%', a: Value, b: Value): Value {
  const [x, y] = numbers(op, a, b);
  switch (op) {
    case '-':
      return int64(x - y);
    case '*':
      return int64(x * y);
    case '/':
      if (y === 0n) fail('division by zero');
      return int64(x / y);
    case '%':
      if (y === 0n) fail('division by zero');
      return x % y;
  }
}

/** Ordering: numbers by value, strings by code points, timestamps by time; mixed types are an error. */
export function compare(op: '<' | '<=' | '>=' | '>', a: Value, b: Value): Value {
  let c: number;
  if (typeof a === 'bigint' && typeof b === 'bigint') c = a < b ? -1 : a > b ? 1 : 0;
  else if (typeof a === 'string' && typeof b === 'string') c = a < b ? -1 : a > b ? 1 : 0;
  else if (a instanceof Date && b instanceof Date) c = Math.sign(a.getTime() - b.getTime());
  else return fail(`'${op}' cannot compare ${typeName(a)} with ${typeName(b)}`);
  switch (op) {
    case '<':
      return truth(c < 0);
    case '<=':
      return truth(c <= 0);
    case '>=':
      return truth(c >= 0);
    case '>':
      return truth(c > 0);
  }
}

/**
 * and/or/xor and their one-character forms, both operands evaluated.
 * (unconfirmed) `&` `|` `^` on two numbers act bitwise, which is what `&=` `|=` suggest.
 */
export function logical(op: 'and' | 'or' | 'xor' | '&' | '|' | '^', a: Value, b: Value): Value {
  if (typeof a === 'bigint' && typeof b === 'bigint') {
    if (op === '&') return a & b;
    if (op === '|') return a | b;
    if (op === '^') return a ^ b;
  }
  const x = isTrue(a);
  const y = isTrue(b);
  if (op === 'and' || op === '&') return truth(x && y);
  if (op === 'or' || op === '|') return truth(x || y);
  return truth(x !== y);
}

/** Every binary operator except the short-circuit ones, which the evaluator handles itself. */
export function binary(op: BinaryOp, a: Value, b: Value): Value {
  switch (op) {
    case '+':
      return plus(a, b);
    case '-':
    case '*':
    case '/':
    case '%':
      return arithmetic(op, a, b);
    case '==':
      return truth(valuesEqual(a, b));
    case '!=':
      return truth(!valuesEqual(a, b));
    case '<':
    case '<=':
    case '>=':
    case '>':
      return compare(op, a, b);
    case 'and':
    case 'or':
    case 'xor':
    case '&':
    case '|':
    case '^':
      return logical(op, a, b);
    case 'and then':
    case '&&':
      return truth(isTrue(a) && isTrue(b));
    case 'or else':
    case '||':
      return truth(isTrue(a) || isTrue(b));
  }
}

export function unary(op: UnaryOp, a: Value): Value {
  if (op === '!' || op === 'not') return truth(!isTrue(a));
  if (typeof a !== 'bigint') return fail(`unary '${op}' needs a number, got ${typeName(a)}`);
  return op === '-' ? int64(-a) : a;
}

/** `x op= e` uses the same rules as `x = x op e`. */
export function compound(op: '+=' | '-=' | '*=' | '/=' | '%=' | '|=' | '&=', a: Value, b: Value): Value {
  const bop = op.slice(0, -1) as '+' | '-' | '*' | '/' | '%' | '|' | '&';
  return binary(bop, a, b);
}
