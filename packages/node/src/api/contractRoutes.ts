import { CONTRACT_NAME, CONTRACT_OPERATION, contractStatePrefix, XinlianError } from '@xinlian/protocol';
import type { Request } from './httpServer.js';
import type { AuthorizeRead, IdentifyReader } from './readAccess.js';
import type { RouteSpec } from './routeSpec.js';
import type { ContractReader, EvaluateCaller } from './contractViews.js';

export interface ContractRouteServices {
  contracts: ContractReader;
  authorizeRead: AuthorizeRead;
  identifyReader: IdentifyReader;
}

/** An unsigned query runs as nobody in particular: contracts that answer per caller see no organisation. */
const ANONYMOUS: EvaluateCaller = { org: '', name: '', role: 'anonymous' };

function contractName(req: Request): string {
  const name = req.params.name ?? '';
  if (!CONTRACT_NAME.test(name)) throw new XinlianError('BAD_REQUEST', `contract name must match ${CONTRACT_NAME.source}`);
  return name;
}

/** GET /v1/contracts[/:name[/code]] and POST /v1/contracts/:name/evaluate (ADR 010). */
export function contractRoutes(node: ContractRouteServices): RouteSpec[] {
  return [
    {
      method: 'GET', path: '/v1/contracts', tag: 'contracts', summary: 'Deployed contracts: name, version, code hash, approvals',
      success: [200, 'contracts'], handler: async () => ({ contracts: node.contracts.list() }),
    },
    {
      method: 'GET', path: '/v1/contracts/:name', tag: 'contracts', summary: 'One contract with every version and the organisations that approved it',
      success: [200, 'contract'], handler: async (req) => node.contracts.get(contractName(req)),
    },
    {
      method: 'GET', path: '/v1/contracts/:name/code', tag: 'contracts', summary: 'The deployed code (packaged JavaScript) of the current version',
      success: [200, 'code'], handler: async (req) => node.contracts.code(contractName(req)),
    },
    {
      method: 'POST', path: '/v1/contracts/:name/evaluate', tag: 'contracts',
      summary: 'Runs an operation as a query on the latest state (nothing is written); signed requests run as their signer',
      body: { type: 'object', required: ['op'], properties: { op: { type: 'string' }, args: {} } },
      success: [200, 'result, height, steps and the state keys read'],
      handler: async (req) => {
        const name = contractName(req);
        const body = req.json() as { op?: unknown; args?: unknown };
        if (typeof body !== 'object' || body === null || typeof body.op !== 'string' || !CONTRACT_OPERATION.test(body.op)) {
          throw new XinlianError('BAD_REQUEST', `body must be {"op": string matching ${CONTRACT_OPERATION.source}, "args": any JSON}`);
        }
        // A query reads the contract's state, so the read rules on its prefix apply.
        node.authorizeRead(req, contractStatePrefix(name));
        const member = node.identifyReader(req);
        const caller = member === undefined ? ANONYMOUS : { org: member.org, name: member.commonName, role: member.role };
        return node.contracts.evaluate(name, body.op, body.args ?? null, caller);
      },
    },
  ];
}
