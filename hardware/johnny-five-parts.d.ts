// johnny-five's parts, imported one by one (hardware/board.ts, buttons.ts, segments.ts):
// its index requires all 37 components (and node's REPL) where the drivers use three, so
// the programs import lib/board, lib/button and lib/led/led directly (issue 10: memory).
// The types are those of @types/johnny-five's classes.
declare module 'johnny-five/lib/board.js' {
  import type five from 'johnny-five';
  const Board: typeof five.Board;
  export default Board;
}
declare module 'johnny-five/lib/button.js' {
  import type five from 'johnny-five';
  const Button: typeof five.Button;
  export default Button;
}
declare module 'johnny-five/lib/led/led.js' {
  import type five from 'johnny-five';
  const Led: typeof five.Led;
  export default Led;
}
declare module 'johnny-five/lib/led/led-chars.js' {
  const chars: { DIGIT_CHARS: Record<string, number> };
  export default chars;
}
