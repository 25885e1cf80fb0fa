import { AppError } from '../errors/app-error';

interface FailureSentences {
  message: string;
  nextStep: string;
}

/** A failed write as the admin reads it: a full disk says so (`disk_full`); anything else is `storage_unavailable`. */
export function writeFailure(error: unknown, sentences: { diskFull: FailureSentences; other: FailureSentences }): AppError {
  if (error instanceof AppError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const diskFull = code === 'ENOSPC' || code === 'EDQUOT';
  const { message, nextStep } = diskFull ? sentences.diskFull : sentences.other;
  return new AppError(diskFull ? 'disk_full' : 'storage_unavailable', message, { nextStep, cause: error });
}
