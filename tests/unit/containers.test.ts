import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allContainers, bicepContainers } from '../../shared/data/containers';

describe('container declarations', () => {
  it('are what the Bicep deploys (run `npm run infra:containers` after changing them)', () => {
    const file = JSON.parse(readFileSync(path.join(__dirname, '../../infra/cosmos-containers.json'), 'utf8'));
    expect(file.containers).toEqual(bicepContainers());
  });

  it('have unique names', () => {
    const names = allContainers.map((definition) => definition.name);
    expect(new Set(names).size).toBe(names.length);
  });
});
