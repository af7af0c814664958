import { describe, expect, it } from 'vitest';
import { addressRefusal, embeddedIpv4, networkList, webhookUrlProblem } from '../src/address-guard.ts';

const none = networkList([]);

describe('addressRefusal', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'shared address space'],
    ['169.254.169.254', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456::1', 'unique-local'],
    ['fe80::1', 'link-local'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:a9fe:a9fe', 'link-local'],
    ['64:ff9b::7f00:1', 'loopback'],
    ['64:ff9b::10.0.0.1', 'private'],
    ['2002:7f00:1::', 'loopback'],
    ['::127.0.0.1', 'loopback'],
    ['8.8.8.8', null],
    ['1.1.1.1', null],
    ['172.32.0.1', null],
    ['100.128.0.1', null],
    ['2606:4700:4700::1111', null],
    ['::ffff:8.8.8.8', null],
    ['64:ff9b::808:808', null],
  ])('%s → %s', (ip, reason) => {
    expect(addressRefusal(ip, none)).toBe(reason);
  });

  it.each([
    ['127.0.0.1', ['127.0.0.1/32']],
    ['::ffff:127.0.0.1', ['127.0.0.1/32']],
    ['10.20.30.40', ['10.20.0.0/16']],
    ['fd00::5', ['fd00::/8']],
    ['192.168.0.7', ['192.168.0.7']],
  ])('%s is allowed inside %j', (ip, networks) => {
    expect(addressRefusal(ip, networkList(networks))).toBeNull();
  });

  it('allows only what the allowed networks hold', () => {
    expect(addressRefusal('127.0.0.2', networkList(['127.0.0.1/32']))).toBe('loopback');
  });
});

describe('embeddedIpv4', () => {
  it.each([
    ['::ffff:7f00:1', '127.0.0.1'],
    ['::ffff:1.2.3.4', '1.2.3.4'],
    ['64:ff9b::c0a8:101', '192.168.1.1'],
    ['2002:c0a8:101::1', '192.168.1.1'],
    ['2606:4700::1111', null],
    ['10.0.0.1', null],
  ])('%s carries %s', (ip, v4) => {
    expect(embeddedIpv4(ip)).toBe(v4);
  });
});

describe('webhookUrlProblem', () => {
  it.each([
    ['http://127.0.0.1/', 'address 127.0.0.1 is not allowed (loopback)'],
    ['http://[::ffff:127.0.0.1]/', 'address ::ffff:7f00:1 is not allowed (loopback)'],
    ['http://[::1]:8081/metrics', 'address ::1 is not allowed (loopback)'],
    ['http://0x7f000001/', 'address 127.0.0.1 is not allowed (loopback)'],
    ['http://2130706433/', 'address 127.0.0.1 is not allowed (loopback)'],
    ['http://127.1/', 'address 127.0.0.1 is not allowed (loopback)'],
    ['http://169.254.169.254/latest/meta-data/', 'address 169.254.169.254 is not allowed (link-local)'],
    ['http://localhost:8080/', 'host localhost is not allowed (loopback)'],
    ['http://api.localhost/', 'host api.localhost is not allowed (loopback)'],
    ['http://user:pw@example.com/', 'must not carry a user name or password'],
    ['http://user@example.com/', 'must not carry a user name or password'],
    ['https://hooks.example.com/x', null],
    ['https://8.8.8.8/hook', null],
  ])('%s → %s', (url, problem) => {
    expect(webhookUrlProblem(url, none)).toBe(problem);
  });

  it('lets the allowed networks reach a loopback literal and name', () => {
    const allowed = networkList(['127.0.0.1/32']);
    expect(webhookUrlProblem('http://127.0.0.1:9000/', allowed)).toBeNull();
    expect(webhookUrlProblem('http://localhost:9000/', allowed)).toBeNull();
    expect(webhookUrlProblem('http://10.0.0.1/', allowed)).toBe('address 10.0.0.1 is not allowed (private)');
  });
});
