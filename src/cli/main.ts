import { Command, CommanderError } from 'commander';
import { errorMessage, printable, UserError } from '../common/errors';
import { inspectCommand } from './inspect-command';
import { sheetCommand } from './sheet-command';
import { tolerateClosedOutput } from './standard-streams';
import { stylesCommand } from './styles-command';
import { stylizeCommand } from './stylize-command';

/** Status for problems the user can fix: a bad flag, a missing file, a layer the weights lack. */
const USER_ERROR = 2;

async function main(argv: string[]): Promise<void> {
  tolerateClosedOutput(USER_ERROR);
  const program = new Command('neural-style')
    .description('Neural style transfer (Gatys et al.) on VGG19: the engine of Neural Style for VS Code')
    .showHelpAfterError('(run with --help for usage)')
    .addCommand(stylizeCommand())
    .addCommand(inspectCommand())
    .addCommand(stylesCommand())
    .addCommand(sheetCommand());
  // Commander's own messages ("error: unknown option ...") get the tool's prefix, like every other message, and
  // what was typed in them is escaped as in a UserError; only its "(Did you mean ...?)" keeps a line of its own.
  const outputError = (message: string, write: (s: string) => void) => {
    const parts = message.replace(/^error: /, '').trimEnd().split(/\n(?=\(Did you mean )/);
    write(`neural-style: ${parts.map(printable).join('\n')}\n`);
  };
  for (const cmd of [program, ...program.commands]) cmd.exitOverride().configureOutput({ outputError });
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // Commander has printed its one-line message already; help and --version exit with 0.
      process.exit(e.exitCode === 0 ? 0 : USER_ERROR);
    }
    if (e instanceof UserError) {
      process.stderr.write(`neural-style: ${e.message}\n`);
      process.exit(USER_ERROR);
    }
    process.stderr.write(`neural-style: internal error: ${printable(errorMessage(e))}\n`);
    if (process.env.NEURAL_STYLE_DEBUG) process.stderr.write(`${(e as Error).stack}\n`);
    else process.stderr.write('(set NEURAL_STYLE_DEBUG=1 for the stack trace)\n');
    process.exit(1);
  }
}

void main(process.argv);
