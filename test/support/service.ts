// A language service over in-memory files, with the cursor marked by `|` in one of them.

import { LanguageService } from '../../server/src/features/service';
import { withCursor } from './cursor';
import { memoryFs } from './memoryFs';

export function serviceWithCursor(files: Record<string, string>, target: string): { service: LanguageService; offset: number } {
  const { text, offset } = withCursor(files[target]);
  const service = new LanguageService(memoryFs({ ...files, [target]: text }));
  service.setRoots(Object.keys(files).filter((file) => /[\\/]nginx\.conf$/.test(file)));
  return { service, offset };
}
