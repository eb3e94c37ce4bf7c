import { endpointControllerNotes } from './endpointControllerNotes';
import { classicEndpoint } from './__fixtures__/classicEndpoint';
import { multiListenerEndpoint } from './__fixtures__/multiListenerEndpoint';

describe('endpointControllerNotes', () => {
  it('says one target group for the classic example', () => {
    expect(endpointControllerNotes(classicEndpoint)).toEqual([
      'Port 8080: TCP listener "tcp-app" becomes a TCP load balancer listener, with one target group: backend:3000.',
    ]);
  });

  it('explains TCP + UDP on one port, weights, weight 0 and TLS passthrough, one sentence per port', () => {
    const notes = endpointControllerNotes(multiListenerEndpoint);
    expect(notes).toEqual([
      'Port 8080: TCP listener "app" becomes a TCP load balancer listener, with 2 target groups in one weighted forward action: blue:3000 (weight 3, 75% of new connections), green:3000 (weight 1, 25% of new connections); no target group for old:3000 (weight 0).',
      'Port 1053: listeners "dns-tcp" (TCP) and "dns-udp" (UDP) become ONE TCP_UDP load balancer listener. The controller builds its TCP_UDP target groups from the oldest of routes "dns-tcp" and "dns-udp" only (the other stays Accepted with no target group of its own), so both routes send to the same backends, each serving TCP and UDP on its target port: one target group: dns:53.',
      'Port 8443: TLS listener "db" is passed through: a TCP load balancer listener forwarding the TLS bytes untouched to TCP target groups (the TargetGroupConfiguration says protocol TCP; the load balancer does not route by host name), with one target group: db:5432.',
    ]);
  });
});
