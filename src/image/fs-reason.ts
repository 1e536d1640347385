import { errorMessage } from '../engine/errors';

export function errnoCode(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code;
}

/** What went wrong with a file, in words that fit after "cannot read X: ". */
export function fsReason(e: unknown): string {
  switch (errnoCode(e)) {
    case 'ENOENT':
      return 'no such file or folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a folder';
    case 'ENOTDIR':
      return 'a part of the path is not a folder';
    case 'ENOSPC':
      return 'the disk is full';
    case 'EROFS':
      return 'the file system is read-only';
    default:
      return errorMessage(e).split('\n')[0];
  }
}
