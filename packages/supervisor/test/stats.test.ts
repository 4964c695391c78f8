import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FlappingDetector } from '../src/flapping.js';

describe('FlappingDetector', () => {
  it('trips on N deaths within the window only', () => {
    const detector = new FlappingDetector(3, 1000);
    assert.equal(detector.record(0), false);
    assert.equal(detector.record(600), false);
    assert.equal(detector.record(1200), false, 'the first death left the window');
    assert.equal(detector.record(1500), true);
    detector.reset();
    assert.equal(detector.record(1600), false);
  });
});
