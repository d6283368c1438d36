/** 20,000 connect start/callback pairs on the memory store (nonce-load.ts): flat heap, steady latency. */
import { it } from 'node:test';
import { memoryStore } from '../../../src/companion/stores/memory.js';
import { nonceLoad, SLOW } from './nonce-load.js';

it('memory store: 20,000 start/callback pairs with a flat heap and a steady latency', SLOW, () => nonceLoad('memoryStore', memoryStore()));
