import {
  AddressBytesToStringRequest,
  AddressBytesToStringResponse,
  AddressStringToBytesRequest,
  AddressStringToBytesResponse,
  Bech32PrefixResponse,
  QueryAccountInfoRequest,
  QueryAccountInfoResponse,
  QueryAccountRequest,
  QueryAccountResponse,
  QueryAccountsRequest,
  QueryAccountsResponse,
  QueryModuleAccountByNameRequest,
  QueryModuleAccountByNameResponse,
  QueryModuleAccountsResponse,
  QueryParamsResponse,
} from "cosmjs-types/cosmos/auth/v1beta1/query";
import { Any } from "cosmjs-types/google/protobuf/any";
import { decodeRequest, invalidArgument, notFound, paginate, type QueryRouter } from "../../app/queryRouter.js";
import { BECH32_PREFIX } from "../../constants.js";
import { formatAddress, parseAddress } from "../../types/address.js";
import { type AuthKeeper, encodeAccount, moduleAddress } from "./keeper.js";
import { ChainError } from "../../errors/errors.js";

function parseQueryAddress(address: string): Uint8Array {
  try {
    return parseAddress(address);
  } catch (e) {
    throw invalidArgument(e instanceof ChainError ? e.message : String(e));
  }
}

export function registerAuthQueries(router: QueryRouter, auth: AuthKeeper): void {
  router.service("cosmos.auth.v1beta1.Query", {
    Account(data, ctx) {
      const { address } = decodeRequest(QueryAccountRequest.decode, data);
      const any = auth.getAccountAny(ctx.store, parseQueryAddress(address));
      if (!any) throw notFound(`account ${address} not found`);
      return QueryAccountResponse.encode({ account: Any.decode(any) }).finish();
    },
    AccountInfo(data, ctx) {
      const { address } = decodeRequest(QueryAccountInfoRequest.decode, data);
      const acc = auth.getAccount(ctx.store, parseQueryAddress(address));
      if (!acc) throw notFound(`account ${address} not found`);
      return QueryAccountInfoResponse.encode({ info: acc.base }).finish();
    },
    Accounts(data, ctx) {
      const req = decodeRequest(QueryAccountsRequest.decode, data);
      const items = (function* () {
        for (const acc of auth.iterateAccounts(ctx.store)) yield { key: parseAddress(acc.base.address), value: encodeAccount(acc) };
      })();
      const { page, pagination } = paginate(items, req.pagination);
      return QueryAccountsResponse.encode({ accounts: page, pagination }).finish();
    },
    Params(_data, ctx) {
      return QueryParamsResponse.encode({ params: auth.getParams(ctx.store) }).finish();
    },
    ModuleAccounts(_data, ctx) {
      const accounts = [...auth.iterateAccounts(ctx.store)].filter((a) => a.module).map(encodeAccount);
      return QueryModuleAccountsResponse.encode({ accounts }).finish();
    },
    ModuleAccountByName(data, ctx) {
      const { name } = decodeRequest(QueryModuleAccountByNameRequest.decode, data);
      const acc = auth.getAccount(ctx.store, moduleAddress(name));
      if (!acc?.module) throw notFound(`module account ${name} not found`);
      return QueryModuleAccountByNameResponse.encode({ account: encodeAccount(acc) }).finish();
    },
    Bech32Prefix() {
      return Bech32PrefixResponse.encode({ bech32Prefix: BECH32_PREFIX }).finish();
    },
    AddressBytesToString(data) {
      const { addressBytes } = decodeRequest(AddressBytesToStringRequest.decode, data);
      if (addressBytes.length !== 20 && addressBytes.length !== 32) throw invalidArgument("address bytes must be 20 or 32 bytes");
      return AddressBytesToStringResponse.encode({ addressString: formatAddress(addressBytes) }).finish();
    },
    AddressStringToBytes(data) {
      const { addressString } = decodeRequest(AddressStringToBytesRequest.decode, data);
      return AddressStringToBytesResponse.encode({ addressBytes: parseQueryAddress(addressString) }).finish();
    },
  });
}
