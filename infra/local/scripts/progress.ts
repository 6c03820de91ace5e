/** Progress for long commands: one updating line on a terminal, a line per change otherwise. */
export function progressLine(): (text: string) => void {
  let last = "";
  return (text) => {
    if (text === last) return;
    last = text;
    if (process.stdout.isTTY) process.stdout.write(`\r${text}`);
    else console.log(text);
  };
}
