import { hexToBytes } from '../src/index.js';

// The inputs and results of docs/AUTH.md "Test vectors", typed in from the document. Also run in Chromium.
export const AUTH_VECTORS = {
  email: ' Alice@Example.TEST ',
  password: '  Pa\u0301ss \ufb01le 1  ',
  P: '50c3a173732066696c652031',
  secretKeyText: 'A3-000G40-R40M3-0E209-185GR-38E1W',
  secretKeyHex: '000102030405060708090a0b0c0d0e0f',
  salt: hexToBytes('a0a1a2a3a4a5a6a7a8a9aaabacadaeaf'),
  a: BigInt(`0x${'11'.repeat(32)}`),
  b: BigInt(`0x${'22'.repeat(32)}`),
  saltP: 'e38acadd36cc9ef1a9975126e4b72a0e29303623320f82e52776f833f56f8d51',
  p: '4b7deecf4ccb932aa835e0cf024b131b49a7ff963fc23edfcc8536960acd3428',
  q: '089428852100a1c81124375495985c92b87201d4e1da81dd1e9f3fea3fe57290',
  x: '43e9c64a6dcb32e2b911d79b97d34f89f1d5fe42de18bf02d21a097c352846b8',
  hv: 'd65d6e72973aa457b417b095c56d6acd22697949aa90210432fe7d9b0c1feef4',
  k: '081f4874fa543a371b49a670402fda59ecfab53a1b850fc42e1c357cc846111e',
  hA: '554d1db9c9d367c73c139993a6aec6bc5f4d7ab233f954bb85067f7fdee8c4b2',
  hB: '896c26ec1a39b78d79fc36210902a050d10d84e1afe24e2bc2f3fec00f4928a3',
  u: '4f148ab63161d4aaa33b2618251bfd55f27f84a5c337b10f5b08da07f3d687d4',
  K: '8939d56fbf1b74ecce81284b1183bf366523f970efc66efa3fb1ca552686b882',
  M1: '10e14dfc8749a65b52ef3721240ddb5b94a7c2184c13125e1b39c5f369382fd5',
  M2: '3c97a0f259129eb27b265e4e5c73e6b76e88294b41ee70fbf3ae96d2ec78af2f',
};
