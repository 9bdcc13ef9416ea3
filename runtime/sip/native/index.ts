// Our own SIP engine (transports, parser, transactions) behind the ../engine seam.
export { createNativeEngine } from './engine';
export { UdpTransport, interfaceAddresses, isWildcard } from './udp';
export { TcpTransport } from './tcp';
export { Transactions, ServerTransaction } from './transactions';
export { freePort } from './ports';
