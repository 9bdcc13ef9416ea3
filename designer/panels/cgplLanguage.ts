// A small CodeMirror stream highlighter for CG/PL: keywords, strings, comments, numbers.
import { StreamLanguage, type StringStream } from '@codemirror/language';
import { KEYWORDS } from '../../compiler/cgpl/tokens';

interface State {
  inComment: boolean;
}

function token(stream: StringStream, state: State): string | null {
  if (state.inComment) {
    if (stream.skipTo('*/')) {
      stream.match('*/');
      state.inComment = false;
    } else stream.skipToEnd();
    return 'comment';
  }
  if (stream.eatSpace()) return null;
  if (stream.match('//')) {
    stream.skipToEnd();
    return 'comment';
  }
  if (stream.match('/*')) {
    state.inComment = true;
    return 'comment';
  }
  if (stream.match(/^"(?:[^"\\]|\\.)*"?/)) return 'string';
  if (stream.match(/^#?\d+/)) return 'number';
  if (stream.match(/^[A-Za-z_][A-Za-z0-9_]*/)) {
    const word = stream.current();
    if (KEYWORDS.has(word.toLowerCase())) return 'keyword';
    return 'variableName';
  }
  stream.next();
  return 'operator';
}

export const cgplLanguage = StreamLanguage.define<State>({
  name: 'cgpl',
  startState: () => ({ inComment: false }),
  token,
  languageData: { commentTokens: { line: '//' } },
});
