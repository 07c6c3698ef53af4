// model-nft messages and query responses: the source of the JSON Schemas in schema/ and of the typed
// client client/src/contracts/model-nft.ts (`make schemas`). Behaviour: README.md; code: assembly/contract.ts.
// Examples run in order, in-process, in contracts-as/schemas.test.ts: `sender` signs (default CREATOR),
// `funds` are attached.
import { Addr, Binary, Coin, Decimal, Expiration, Timestamp, Uint128, array, bool, contract, def, enumOf, ex, msg, opt, paging, strEnum, string, struct, u32, u64, variant } from "../schema/dsl.mjs";
import { BASE_MODEL, BUYER, CREATOR, DEPLOYER, FINE_TUNE, MARKETPLACE, OTHER, QUANTIZED, RECEIVER, b64 } from "../schema/examples.mjs";

const WEIGHTS = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
const WEIGHTS_FT = "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752";
const WEIGHTS_Q4 = "fd61a03af4f77d870fc21e05e7e80678095c92d808cfb3b5c279ee04c74aca13";

// ------------------------------------------------------------------------------------------------
// Types

const VerificationScheme = def(
  "VerificationScheme",
  strEnum(["TOPLOC", "TOPK_LOGPROB", "TENSOR_TOL", "EXACT"]),
  "How inference results of the model are verified.",
);
const Verification = def(
  "Verification",
  struct({
    scheme: VerificationScheme,
    tolerance: { type: Decimal, doc: 'Allowed deviation, a Decimal string ("0.01"); "0" for EXACT.' },
  }),
);

const manifestFields = {
  name: { type: string(), doc: "Model name (1–256 bytes)." },
  version: { type: string(), doc: "Version of this model (1–256 bytes); a new version is a new token." },
  task: { type: string(), doc: 'e.g. "text-generation" (≤ 256 bytes).' },
  format: { type: string(), doc: 'Weights format, e.g. "safetensors" (≤ 256 bytes).' },
  weights_sha256: { type: string(), doc: "sha256 of the weights, 64 lowercase hex characters." },
  engine: { type: string(), doc: 'Inference engine, e.g. "vllm" (≤ 256 bytes).' },
  dtype: { type: string(), doc: 'e.g. "bf16" (≤ 256 bytes).' },
  uri: { type: string(), doc: "Where the weights are (≤ 2048 bytes)." },
  parents: { type: array(string()), doc: "Token ids of the models this one derives from (≤ 16, existing, no duplicates)." },
  verification: Verification,
  royalty_bps: { type: u32(), doc: "Creator royalty (cw2981 and parent royalties in licensing), ≤ the collection's max_royalty_bps." },
};
const ManifestInput = def(
  "ManifestInput",
  struct(manifestFields),
  "The manifest given at mint. `creator` (the minting sender) and `created_at` (block time) are added by the contract.",
);
const Manifest = def(
  "Manifest",
  struct({
    ...manifestFields,
    creator: { type: Addr, doc: "The address that minted the model (receives cw2981 royalties)." },
    created_at: { type: Timestamp, doc: "Block time of the mint (nanoseconds)." },
  }),
  "A model version's manifest: immutable, the token's cw721 `extension`.",
);

const Approval = def("Approval", struct({ spender: { type: Addr, doc: "Account that can transfer/send the token" }, expires: { type: Expiration, doc: "When the Approval expires (maybe Expiration::never)" } }));
const OwnerOfResponse = def(
  "OwnerOfResponse",
  struct({ owner: { type: string(), doc: "Owner of the token" }, approvals: { type: array(Approval), doc: "If set this address is approved to transfer/send the token as well" } }),
);
const ApprovalResponse = def("ApprovalResponse", struct({ approval: Approval }));
const ApprovalsResponse = def("ApprovalsResponse", struct({ approvals: array(Approval) }));
const OperatorResponse = def("OperatorResponse", struct({ approval: Approval }));
const OperatorsResponse = def("OperatorsResponse", struct({ operators: array(Approval) }));
const NumTokensResponse = def("NumTokensResponse", struct({ count: u64() }));
const ContractInfoResponse = def("ContractInfoResponse", struct({ name: string(), symbol: string() }));
const NftInfoResponse = def(
  "NftInfoResponse",
  struct({
    token_uri: { type: opt(string()), doc: "Universal resource identifier for this NFT" },
    extension: { type: Manifest, doc: "The model's manifest" },
  }),
);
const AllNftInfoResponse = def(
  "AllNftInfoResponse",
  struct({ access: { type: OwnerOfResponse, doc: "Who can transfer the token" }, info: { type: NftInfoResponse, doc: "Data on the token itself," } }),
);
const TokensResponse = def(
  "TokensResponse",
  struct({ tokens: { type: array(string()), doc: "Contains all token_ids in lexicographical ordering If there are more than `limit`, use `start_after` in future queries to achieve pagination." } }),
);
const MinterResponse = def("MinterResponse", struct({ minter: opt(string()) }), "The minter in restricted mode; null with open minting or after renouncing.");
const Ownership = def(
  "Ownership_for_String",
  struct({
    owner: { type: opt(string()), doc: "The contract's current owner. `None` if the ownership has been renounced." },
    pending_owner: { type: opt(string()), doc: "The account who has been proposed to take over the ownership. `None` if there isn't a pending ownership transfer." },
    pending_expiry: { type: opt(Expiration), doc: "The deadline for the pending owner to accept the ownership. `None` if there isn't a pending ownership transfer, or if a transfer exists and it doesn't have a deadline." },
  }),
  "The contract's ownership info",
);
const RoyaltiesInfoResponse = def(
  "RoyaltiesInfoResponse",
  struct({ address: { type: string(), doc: "The creator (manifest `creator`)." }, royalty_amount: { type: Uint128, doc: "floor(sale_price · royalty_bps / 10000)" } }),
);
const CheckRoyaltiesResponse = def("CheckRoyaltiesResponse", struct({ royalty_payments: bool() }), "Shows if the contract implements royalties (always true).");
const ConfigResponse = def(
  "ConfigResponse",
  struct({
    open_minting: { type: bool(), doc: "Anyone mints a model to themselves (instantiated with `minter: null`)." },
    mint_fee: { type: opt(Coin), doc: "Paid by every mint, forwarded to fee_recipient." },
    fee_recipient: opt(string()),
    max_royalty_bps: u32(),
  }),
);

const royaltyInfo = struct({ token_id: string(), sale_price: { type: Uint128, doc: "The price the token is sold for, in any denom" } });
const Cw2981QueryMsg = def(
  "Cw2981QueryMsg",
  enumOf({
    royalty_info: variant(royaltyInfo, { doc: "Should be called on sale to see if royalties are owed by the marketplace selling the NFT" }),
    check_royalties: variant(struct({}), { doc: "Called against contract to determine if this NFT implements royalties." }),
  }),
);

const Action = def(
  "Action",
  enumOf({
    transfer_ownership: variant(struct({ new_owner: string(), expiry: opt(Expiration) }), {
      doc: "Propose to transfer the contract's ownership to another account, optionally with an expiry time.\n\nCan only be called by the contract's current owner.\n\nAny existing pending ownership transfer is overwritten.",
    }),
    accept_ownership: variant(null, { doc: "Accept the pending ownership transfer.\n\nCan only be called by the pending owner." }),
    renounce_ownership: variant(null, { doc: "Give up the contract's ownership and the possibility of appointing a new owner.\n\nCan only be invoked by the contract's current owner.\n\nAny existing pending ownership transfer is canceled." }),
  }),
  "Actions that can be taken to alter the contract's ownership",
);

function manifest(over = {}) {
  return {
    name: "Llama-3-8B",
    version: "1.0.0",
    task: "text-generation",
    format: "safetensors",
    weights_sha256: WEIGHTS,
    engine: "vllm",
    dtype: "bf16",
    uri: "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi",
    parents: [],
    verification: { scheme: "TOPLOC", tolerance: "0.01" },
    royalty_bps: 500,
    ...over,
  };
}

// ------------------------------------------------------------------------------------------------
// Messages

export default contract({
  name: "model-nft",
  title: "ModelNft",
  contract: "crates.io:soa-model-nft",
  version: "0.1.0",
  defaultSender: CREATOR,

  instantiate: msg(
    struct({
      name: { type: string(), doc: "Collection name (cw721 contract_info)." },
      symbol: { type: string(), doc: "Collection symbol." },
      minter: { type: opt(string()), doc: "Restricted minting by this address (the cw-ownable owner); null = open minting: anyone mints to themselves." },
      mint_fee: { type: opt(Coin), doc: "Exact funds every mint must carry (needs fee_recipient); null = free." },
      fee_recipient: { type: opt(string()), doc: "Receives mint fees (a BankMsg::Send per mint)." },
      max_royalty_bps: { type: opt(u32()), doc: "Cap on manifests' royalty_bps (default 2500, ≤ 10000)." },
    }),
    {
      doc: "A cw721 v0.18 collection of AI model versions. No funds.",
      examples: [
        ex({ name: "SOA Models", symbol: "MODEL", minter: CREATOR }, { sender: DEPLOYER }),
        ex({ name: "SOA Models", symbol: "MODEL", minter: null, mint_fee: null, fee_recipient: null, max_royalty_bps: 2500 }, { sender: DEPLOYER }),
        ex({ name: "Curated Models", symbol: "CMODEL", minter: DEPLOYER, mint_fee: { denom: "usoa", amount: "1000000" }, fee_recipient: DEPLOYER, max_royalty_bps: 1000 }, { sender: DEPLOYER }),
      ],
    },
  ),

  executeDoc: "model-nft execute messages (cw721 v0.18 + mint of a model manifest).",
  execute: {
    mint: variant(
      struct({
        token_id: { type: string(), doc: "Unique id of the model version (1–128 bytes; burned ids are never reused)." },
        owner: { type: string(), doc: "The owner of the newly minted model (open minting: must be the sender)." },
        token_uri: { type: opt(string()), doc: "Universal resource identifier for this NFT (≤ 2048 bytes)." },
        extension: { type: ManifestInput, doc: "The model's manifest, immutable." },
      }),
      {
        doc: "Mint a new model version. Restricted minting: the minter only; open minting: anyone, to themselves. Funds: exactly mint_fee, if any.",
        funds: true,
        examples: [
          { mint: { token_id: BASE_MODEL, owner: CREATOR, token_uri: null, extension: manifest() } },
          {
            mint: {
              token_id: FINE_TUNE,
              owner: CREATOR,
              token_uri: "ipfs://bafybeihkoviema7g3gxyt6la7vd5ho32ictqbilu3wnlo3rs7ewhnp7lly/card.json",
              extension: manifest({ name: "Llama-3-8B-Med", weights_sha256: WEIGHTS_FT, task: "medical-qa", parents: [BASE_MODEL], royalty_bps: 1000, verification: { scheme: "TOPK_LOGPROB", tolerance: "0.05" } }),
            },
          },
          {
            mint: {
              token_id: QUANTIZED,
              owner: CREATOR,
              extension: manifest({ name: "Llama-3-8B-Q4", version: "1.0.0-q4", weights_sha256: WEIGHTS_Q4, dtype: "int4", parents: [BASE_MODEL], royalty_bps: 0, verification: { scheme: "TENSOR_TOL", tolerance: "0.001" } }),
            },
          },
        ],
      },
    ),
    approve: variant(
      struct({ spender: string(), token_id: string(), expires: opt(Expiration) }),
      {
        doc: "Allows `spender` to transfer / send the token (replaces the spender's earlier approval). Owner or operator.",
        examples: [{ approve: { spender: MARKETPLACE, token_id: BASE_MODEL, expires: null } }, { approve: { spender: OTHER, token_id: BASE_MODEL, expires: { at_height: 1000000 } } }],
      },
    ),
    revoke: variant(struct({ spender: string(), token_id: string() }), {
      doc: "Removes a previously granted approval. Owner or operator.",
      examples: [{ revoke: { spender: OTHER, token_id: BASE_MODEL } }],
    }),
    approve_all: variant(struct({ operator: string(), expires: opt(Expiration) }), {
      doc: "Allows `operator` to transfer / send any token of the sender.",
      examples: [{ approve_all: { operator: OTHER, expires: { at_time: "1893456000000000000" } } }, { approve_all: { operator: BUYER, expires: null } }],
    }),
    revoke_all: variant(struct({ operator: string() }), {
      doc: "Removes a previously granted operator.",
      examples: [{ revoke_all: { operator: BUYER } }],
    }),
    transfer_nft: variant(struct({ recipient: string(), token_id: string() }), {
      doc: "Transfer the token to another account without triggering actions (clears its approvals).",
      examples: [{ transfer_nft: { recipient: BUYER, token_id: FINE_TUNE } }],
    }),
    send_nft: variant(struct({ contract: string(), token_id: string(), msg: Binary }), {
      doc: "Transfer the token to a contract and call its `receive_nft` with `msg` (base64); a refusal undoes the transfer. (The marketplace refuses it: approve it and list instead.)",
      examples: [{ send_nft: { contract: RECEIVER, token_id: BASE_MODEL, msg: b64({ note: "a cw721 receiver hook" }) } }],
    }),
    burn: variant(struct({ token_id: string() }), {
      doc: "Burn the token (owner, approved spender or operator). Its id is never minted again.",
      examples: [{ burn: { token_id: QUANTIZED } }],
    }),
    update_ownership: variant(Action, {
      doc: "cw-ownable: transfer, accept or renounce the minter role (restricted minting).",
      param: "action",
      examples: [
        { update_ownership: { transfer_ownership: { new_owner: DEPLOYER, expiry: { at_height: 1000000 } } } },
        ex({ update_ownership: "accept_ownership" }, { sender: DEPLOYER }),
        ex({ update_ownership: "renounce_ownership" }, { sender: DEPLOYER }),
      ],
    }),
  },

  queryDoc: "model-nft queries (cw721 v0.18, cw2981, model indexes).",
  query: {
    owner_of: variant(struct({ token_id: string(), include_expired: { type: opt(bool()), doc: "unset or false will filter out expired approvals, you must set to true to see them" } }), {
      doc: "Return the owner of the given token, error if token does not exist",
      returns: OwnerOfResponse,
      examples: [{ owner_of: { token_id: BASE_MODEL, include_expired: null } }],
    }),
    approval: variant(struct({ token_id: string(), spender: string(), include_expired: opt(bool()) }), {
      doc: "Return operator that can access all of the owner's tokens.",
      returns: ApprovalResponse,
      examples: [{ approval: { token_id: BASE_MODEL, spender: RECEIVER, include_expired: null } }],
    }),
    approvals: variant(struct({ token_id: string(), include_expired: opt(bool()) }), {
      doc: "Return approvals that a token has",
      returns: ApprovalsResponse,
      examples: [{ approvals: { token_id: BASE_MODEL, include_expired: true } }],
    }),
    operator: variant(struct({ owner: string(), operator: string(), include_expired: opt(bool()) }), {
      doc: "Return approval of a given operator for all tokens of an owner, error if not set",
      returns: OperatorResponse,
      examples: [{ operator: { owner: CREATOR, operator: OTHER, include_expired: null } }],
    }),
    all_operators: variant(struct({ owner: string(), include_expired: opt(bool()), ...paging("Operator address to start after") }), {
      doc: "List all operators that can access all of the owner's tokens",
      returns: OperatorsResponse,
      examples: [{ all_operators: { owner: CREATOR, include_expired: null, start_after: null, limit: 10 } }],
    }),
    num_tokens: variant(struct({}), { doc: "Total number of tokens issued", returns: NumTokensResponse, examples: [{ num_tokens: {} }] }),
    contract_info: variant(struct({}), { doc: "The collection's name and symbol.", returns: ContractInfoResponse, examples: [{ contract_info: {} }] }),
    nft_info: variant(struct({ token_id: string() }), {
      doc: "The token's URI and manifest.",
      returns: NftInfoResponse,
      examples: [{ nft_info: { token_id: FINE_TUNE } }],
    }),
    all_nft_info: variant(struct({ token_id: string(), include_expired: opt(bool()) }), {
      doc: "Returns the result of both `nft_info` and `owner_of` as one query as an optimization for clients",
      returns: AllNftInfoResponse,
      examples: [{ all_nft_info: { token_id: BASE_MODEL, include_expired: null } }],
    }),
    tokens: variant(struct({ owner: string(), ...paging("Token id to start after") }), {
      doc: "Returns all tokens owned by the given address, [] if unset.",
      returns: TokensResponse,
      examples: [{ tokens: { owner: CREATOR, start_after: null, limit: null } }],
    }),
    all_tokens: variant(struct({ ...paging("Token id to start after") }), {
      doc: "Requires pagination. Lists all token_ids controlled by the contract.",
      returns: TokensResponse,
      examples: [{ all_tokens: { start_after: null, limit: 100 } }, { all_tokens: {} }],
    }),
    minter: variant(struct({}), { doc: "Return the minter", returns: MinterResponse, examples: [{ minter: {} }] }),
    ownership: variant(struct({}), { doc: "cw-ownable: the minter role and any pending transfer.", returns: Ownership, examples: [{ ownership: {} }] }),
    royalty_info: variant(royaltyInfo, {
      doc: "cw2981: the creator's royalty on a sale at `sale_price`.",
      returns: RoyaltiesInfoResponse,
      examples: [{ royalty_info: { token_id: BASE_MODEL, sale_price: "25000000" } }],
    }),
    check_royalties: variant(struct({}), { doc: "cw2981: whether royalties are implemented.", returns: CheckRoyaltiesResponse, examples: [{ check_royalties: {} }] }),
    models_by_creator: variant(struct({ creator: string(), ...paging("Token id to start after") }), {
      doc: "Token ids minted by `creator`.",
      returns: TokensResponse,
      examples: [{ models_by_creator: { creator: CREATOR, start_after: null, limit: null } }],
    }),
    children: variant(struct({ token_id: string(), ...paging("Token id to start after") }), {
      doc: "Token ids whose manifest lists `token_id` as a parent (fine-tunes, derivatives).",
      returns: TokensResponse,
      examples: [{ children: { token_id: BASE_MODEL, start_after: null, limit: null } }],
    }),
    config: variant(struct({}), { doc: "Minting configuration.", returns: ConfigResponse, examples: [{ config: {} }] }),
    extension: variant(struct({ msg: Cw2981QueryMsg }), {
      doc: "cw2981 queries in the wrapped form some tools use.",
      returns: { k: "anyOf", title: "Cw2981Response", items: [RoyaltiesInfoResponse, CheckRoyaltiesResponse] },
      examples: [{ extension: { msg: { royalty_info: { token_id: BASE_MODEL, sale_price: "1000" } } } }, { extension: { msg: { check_royalties: {} } } }],
    }),
  },
});
