// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ForgeTest} from "../support/ForgeTest.sol";
import {CommonBase} from "forge-std/Base.sol";
import {StdCheats} from "forge-std/StdCheats.sol";
import {StdUtils} from "forge-std/StdUtils.sol";
import {MockV3Aggregator} from "@chainlink/contracts/src/v0.8/tests/MockV3Aggregator.sol";
import {OptionsVault} from "../../../contracts/OptionsVault.sol";
import {IOptionsVault} from "../../../contracts/interfaces/IOptionsVault.sol";
import {TestERC20} from "../support/TestTokens.sol";

/// @notice Drives an OptionsVault through option writing, resizing, closing, expiry pricing, settlement, claims,
///         deposits, withdrawals and hedge transfers, keeping its own ledger of every token movement, its own copy of
///         the book, of each expiry's price and of each counterparty's claims.
contract OptionsVaultHandler is CommonBase, StdCheats, StdUtils {
    struct GhostSeries {
        uint256 strikeWad;
        uint256 expiry;
        bool isCall;
        int256 sizeWad;
        address counterparty;
    }

    /// @notice Expected token movements through the vault, per token.
    struct Ledger {
        uint256 deposited;
        uint256 withdrawn;
        /// @dev Settlement claims paid out by `claim`.
        uint256 claimsPaid;
        uint256 settlementReceived;
        /// @dev Every payoff owed to the vault at settlement, whether the counterparty paid it or it became a receivable.
        uint256 settlementOwedToVault;
        uint256 hedgeOut;
        uint256 hedgeIn;
    }

    OptionsVault internal immutable vault;
    MockV3Aggregator internal immutable feed;
    TestERC20 internal immutable weth;
    TestERC20 internal immutable usdc;
    address internal immutable admin;
    address internal immutable writer;
    address internal immutable hedger;
    address internal immutable stranger;
    address[] internal counterparties;

    mapping(address token => Ledger) public ledger;
    mapping(address counterparty => uint256) public ghostReceivable;
    mapping(address counterparty => uint256) public ghostClaimRecorded;
    mapping(address counterparty => uint256) public ghostClaimed;
    mapping(uint256 expiry => uint256) public ghostExpiryPrice;
    uint256[] internal ghostPricedExpiries;
    mapping(uint256 id => GhostSeries) internal ghostBook;
    uint256[] internal ghostLiveIds;
    uint256[] internal ghostGoneIds;

    // ---- ghost violations: every one must stay 0
    uint256 public ghostPayoffMismatches;
    uint256 public ghostCounterpartyMismatches;
    uint256 public ghostSettledOnPreExpiryPrice;
    uint256 public ghostWrongExpiryPrice;
    uint256 public ghostExpiryPriceOverwritten;
    uint256 public ghostClaimMismatches;
    uint256 public ghostReservedTaken;
    uint256 public ghostExpiredSeriesAdjusted;
    uint256 public ghostOpenedPastLimit;
    uint256 public ghostUnauthorizedMoves;
    // ---- coverage
    uint256 public ghostSettlements;
    uint256 public ghostCloses;
    uint256 public ghostClaims;

    constructor(
        OptionsVault vault_,
        address admin_,
        address writer_,
        address hedger_,
        address[] memory counterparties_
    ) {
        vault = vault_;
        feed = MockV3Aggregator(vault_.priceFeed());
        weth = TestERC20(vault_.weth());
        usdc = TestERC20(vault_.usdc());
        admin = admin_;
        writer = writer_;
        hedger = hedger_;
        stranger = makeAddr("stranger");
        counterparties = counterparties_;
    }

    // ------------------------------------------------------------------ book

    function openSeries(uint256 strikeSeed, uint256 expirySeed, bool isCall, int256 sizeSeed, uint256 cpSeed) external {
        GhostSeries memory s;
        s.strikeWad = _bound(strikeSeed, 500e18, 10_000e18);
        s.expiry = block.timestamp + _bound(expirySeed, 1 hours, 30 days);
        s.isCall = isCall;
        s.sizeWad = _bound(sizeSeed, -500e18, 500e18);
        s.counterparty = counterparties[cpSeed % counterparties.length];
        bool full = ghostLiveIds.length >= vault.maxActiveSeries();
        vm.prank(writer);
        try vault.openSeries(s.strikeWad, s.expiry, s.isCall, 0.8e18, s.sizeWad, s.counterparty) returns (uint256 id) {
            if (full) ++ghostOpenedPastLimit;
            ghostBook[id] = s;
            ghostLiveIds.push(id);
        } catch {}
    }

    /// @notice Resizes a live series; 1 in 4 closes it exactly.
    function adjustPosition(uint256 indexSeed, int256 changeSeed, uint256 closeSeed) external {
        if (ghostLiveIds.length == 0) return;
        uint256 index = indexSeed % ghostLiveIds.length;
        uint256 id = ghostLiveIds[index];
        GhostSeries storage s = ghostBook[id];
        int256 change = closeSeed % 4 == 0 ? -s.sizeWad : _bound(changeSeed, -500e18, 500e18);
        bool expired = s.expiry <= block.timestamp;
        vm.prank(writer);
        try vault.adjustPosition(id, change) {
            if (expired) ++ghostExpiredSeriesAdjusted;
            s.sizeWad += change;
            if (s.sizeWad == 0) {
                ++ghostCloses;
                _forget(index);
            }
        } catch {}
    }

    /// @notice Time reaches expiry and anyone settles a live series. `publishMode` % 3: 0 Chainlink publishes after
    ///         expiry, 1 it published last just before expiry (settlement must refuse that price), 2 nothing new.
    function settle(uint256 indexSeed, uint256 priceSeed, uint8 publishMode) external {
        if (ghostLiveIds.length == 0) return;
        uint256 index = indexSeed % ghostLiveIds.length;
        uint256 id = ghostLiveIds[index];
        GhostSeries memory s = ghostBook[id];
        int256 priceE8 = int256(_bound(priceSeed, 100e8, 20_000e8));
        if (block.timestamp < s.expiry) {
            if (publishMode % 3 == 1) {
                uint256 justBefore = s.expiry - 1 - (priceSeed % 600);
                if (justBefore > block.timestamp) vm.warp(justBefore);
                feed.updateAnswer(priceE8);
            }
            vm.warp(s.expiry + (priceSeed % 600));
        }
        if (publishMode % 3 == 0) feed.updateAnswer(priceE8);
        _settle(index, id, s);
    }

    function _settle(uint256 index, uint256 id, GhostSeries memory s) internal {
        _fixExpiryPrice(s.expiry);
        uint256 priceWad = vault.expiryPriceWad(s.expiry);

        uint256 expected = _payoffUsdc(s, priceWad);
        uint256 cpBefore = usdc.balanceOf(s.counterparty);
        bool cpCanPay = cpBefore >= expected && usdc.allowance(s.counterparty, address(vault)) >= expected;
        vm.prank(stranger);
        try vault.settle(id) returns (uint256 payoff) {
            ++ghostSettlements;
            if (priceWad == 0 || priceWad != ghostExpiryPrice[s.expiry]) ++ghostSettledOnPreExpiryPrice;
            if (payoff != expected) ++ghostPayoffMismatches;
            uint256 cpAfter = usdc.balanceOf(s.counterparty);
            if (s.sizeWad > 0) ledger[address(usdc)].settlementOwedToVault += expected;
            if (s.sizeWad < 0) {
                // The vault pays by claim: nothing moves at settlement.
                ghostClaimRecorded[s.counterparty] += expected;
                if (cpAfter != cpBefore) ++ghostCounterpartyMismatches;
            } else if (cpCanPay) {
                ledger[address(usdc)].settlementReceived += expected;
                if (cpAfter + expected != cpBefore) ++ghostCounterpartyMismatches;
            } else {
                // A counterparty that does not pay: the series still settles and the debt is recorded.
                ghostReceivable[s.counterparty] += expected;
                if (cpAfter != cpBefore) ++ghostCounterpartyMismatches;
            }
            ghostGoneIds.push(id);
            _forget(index);
        } catch {}
    }

    /// @notice Anyone fixes `expiry`'s price from the first round at or after it, if one exists and none is set.
    function _fixExpiryPrice(uint256 expiry) internal {
        if (vault.expiryPriceWad(expiry) != 0) return;
        uint256 round = feed.latestRound();
        if (feed.getTimestamp(round) < expiry) return;
        while (round > 1 && feed.getTimestamp(round - 1) >= expiry) --round;
        vm.prank(stranger);
        try vault.setExpiryPrice(uint64(expiry), uint80(round)) {
            // The straddling round is unique: its answer is the only price the vault may have stored.
            if (round == 1 || feed.getTimestamp(round - 1) >= expiry) ++ghostWrongExpiryPrice;
            if (vault.expiryPriceWad(expiry) != uint256(feed.getAnswer(round)) * 1e10) ++ghostWrongExpiryPrice;
            ghostExpiryPrice[expiry] = vault.expiryPriceWad(expiry);
            ghostPricedExpiries.push(expiry);
        } catch {}
    }

    /// @notice Someone tries to set an already priced expiry again, from any round (must always fail).
    function resetExpiryPrice(uint256 expirySeed, uint256 roundSeed) external {
        if (ghostPricedExpiries.length == 0) return;
        uint256 expiry = ghostPricedExpiries[expirySeed % ghostPricedExpiries.length];
        uint256 round = _bound(roundSeed, 1, feed.latestRound() + 1);
        vm.prank(stranger);
        try vault.setExpiryPrice(uint64(expiry), uint80(round)) {
            ++ghostExpiryPriceOverwritten;
        } catch {}
    }

    /// @notice A counterparty pulls its claim to an address of its choice: all of it, or all the vault holds.
    function claim(uint256 cpSeed, uint256 toSeed) external {
        address cp = counterparties[cpSeed % counterparties.length];
        address to = address(uint160(_bound(toSeed, 2_000, 2_010)));
        uint256 owed = vault.claimableUsdc(cp);
        uint256 held = usdc.balanceOf(address(vault));
        vm.prank(cp);
        try vault.claim(to) returns (uint256 paid) {
            ++ghostClaims;
            if (paid != (owed < held ? owed : held) || paid == 0) ++ghostClaimMismatches;
            if (usdc.balanceOf(address(vault)) != held - paid) ++ghostClaimMismatches;
            ghostClaimed[cp] += paid;
            ledger[address(usdc)].claimsPaid += paid;
        } catch {
            if (owed != 0 && held != 0) ++ghostClaimMismatches; // a funded claim must pay
        }
    }

    function warp(uint256 secondsSeed) external {
        vm.warp(block.timestamp + _bound(secondsSeed, 1, 3 days));
        vm.roll(block.number + 1);
    }

    // ------------------------------------------------------------------ collateral

    function deposit(bool isWeth, uint256 amountSeed, uint256 depositorSeed) external {
        TestERC20 token = isWeth ? weth : usdc;
        uint256 amount = _bound(amountSeed, 1, isWeth ? 1_000e18 : 10_000_000e6);
        address depositor = address(uint160(_bound(depositorSeed, 1_000, 1_010)));
        token.mint(depositor, amount);
        vm.startPrank(depositor);
        token.approve(address(vault), amount);
        vault.deposit(address(token), amount);
        vm.stopPrank();
        ledger[address(token)].deposited += amount;
    }

    /// @notice The admin withdraws up to the balance; 1 in 8 a stranger tries (must fail).
    function withdraw(bool isWeth, uint256 amountSeed, uint256 callerSeed) external {
        TestERC20 token = isWeth ? weth : usdc;
        uint256 held = token.balanceOf(address(vault));
        if (held == 0) return;
        uint256 amount = _bound(amountSeed, 1, held);
        address caller = callerSeed % 8 == 0 ? stranger : admin;
        vm.prank(caller);
        try vault.withdraw(address(token), amount, caller) {
            if (caller != admin) ++ghostUnauthorizedMoves;
            _checkReserveKept(token);
            ledger[address(token)].withdrawn += amount;
        } catch {}
    }

    /// @notice The hedger takes collateral out for a swap; 1 in 8 a stranger tries (must fail).
    function hedgeOut(bool isWeth, uint256 amountSeed, uint256 callerSeed) external {
        TestERC20 token = isWeth ? weth : usdc;
        uint256 held = token.balanceOf(address(vault));
        if (held == 0) return;
        uint256 amount = _bound(amountSeed, 1, held);
        address caller = callerSeed % 8 == 0 ? stranger : hedger;
        vm.prank(caller);
        try vault.transferForHedge(address(token), amount, caller) {
            if (caller != hedger) ++ghostUnauthorizedMoves;
            _checkReserveKept(token);
            ledger[address(token)].hedgeOut += amount;
        } catch {}
    }

    /// @notice Swap proceeds arrive: the router pays the vault directly (a plain transfer).
    function hedgeIn(bool isWeth, uint256 amountSeed) external {
        TestERC20 token = isWeth ? weth : usdc;
        uint256 amount = _bound(amountSeed, 1, isWeth ? 1_000e18 : 10_000_000e6);
        token.mint(hedger, amount);
        vm.prank(hedger);
        token.transfer(address(vault), amount);
        ledger[address(token)].hedgeIn += amount;
    }

    // ------------------------------------------------------------------ views for the invariants

    function ghostLiveCount() external view returns (uint256) {
        return ghostLiveIds.length;
    }

    function ghostLiveAt(uint256 i) external view returns (uint256 id, int256 sizeWad) {
        id = ghostLiveIds[i];
        sizeWad = ghostBook[id].sizeWad;
    }

    function ghostGoneIdList() external view returns (uint256[] memory) {
        return ghostGoneIds;
    }

    function counterpartyList() external view returns (address[] memory) {
        return counterparties;
    }

    function pricedExpiryList() external view returns (uint256[] memory) {
        return ghostPricedExpiries;
    }

    /// @notice What the vault should be worth in `token` (held plus receivable), counting every settlement at its
    ///         payoff whether or not the counterparty paid.
    function expectedValue(address token) external view returns (uint256) {
        Ledger memory l = ledger[token];
        return l.deposited + l.settlementOwedToVault + l.hedgeIn - l.withdrawn - l.claimsPaid - l.hedgeOut;
    }

    /// @notice What the vault should hold of `token` according to the ledger.
    function expectedBalance(address token) external view returns (uint256) {
        Ledger memory l = ledger[token];
        return l.deposited + l.settlementReceived + l.hedgeIn - l.withdrawn - l.claimsPaid - l.hedgeOut;
    }

    // ------------------------------------------------------------------ internal

    /// @dev Cash payoff of a series at `priceWad`, USDC (1e6), rounded down: intrinsic × |size|.
    function _payoffUsdc(GhostSeries memory s, uint256 priceWad) internal pure returns (uint256) {
        uint256 intrinsicWad;
        if (s.isCall && priceWad > s.strikeWad) intrinsicWad = priceWad - s.strikeWad;
        if (!s.isCall && priceWad < s.strikeWad) intrinsicWad = s.strikeWad - priceWad;
        uint256 absSize = uint256(s.sizeWad < 0 ? -s.sizeWad : s.sizeWad);
        return (intrinsicWad * absSize) / 1e30;
    }

    /// @dev After any outflow other than a claim, the USDC still held covers every recorded claim.
    function _checkReserveKept(TestERC20 token) internal {
        if (token == usdc && usdc.balanceOf(address(vault)) < vault.totalClaimableUsdc()) ++ghostReservedTaken;
    }

    function _forget(uint256 index) internal {
        ghostLiveIds[index] = ghostLiveIds[ghostLiveIds.length - 1];
        ghostLiveIds.pop();
    }
}

/// @notice Invariants of OptionsVault: collateral conservation and a book that matches the ghost book.
contract OptionsVaultInvariantsTest is ForgeTest {
    OptionsVault internal vault;
    MockV3Aggregator internal feed;
    TestERC20 internal weth;
    TestERC20 internal usdc;
    OptionsVaultHandler internal handler;

    function setUp() public {
        vm.warp(1_700_000_000);
        address admin = makeAddr("admin");
        address writer = makeAddr("writer");
        address hedger = makeAddr("hedger");
        weth = new TestERC20("Wrapped Ether", "WETH", 18);
        usdc = new TestERC20("USD Coin", "USDC", 6);
        feed = new MockV3Aggregator(8, 3000e8);
        vault = new OptionsVault(admin, address(weth), address(usdc), address(feed), 8);
        vm.startPrank(admin);
        vault.grantRole(vault.WRITER_ROLE(), writer);
        vault.grantRole(vault.HEDGER_ROLE(), hedger);
        vm.stopPrank();

        // Counterparties of the vault's long positions pay at settlement: two are funded and approved up front,
        // the third never approves (a defaulter: its debts become receivables).
        address[] memory counterparties = new address[](3);
        for (uint256 i; i < counterparties.length; ++i) {
            counterparties[i] = makeAddr(string.concat("counterparty", vm.toString(i)));
            usdc.mint(counterparties[i], 1e12 * 1e6);
            if (i == 2) continue;
            vm.prank(counterparties[i]);
            usdc.approve(address(vault), type(uint256).max);
        }
        handler = new OptionsVaultHandler(vault, admin, writer, hedger, counterparties);
        // Seed collateral through the handler so that the ledger sees it.
        handler.deposit(false, 100_000_000e6, 1_000);
        handler.deposit(true, 500e18, 1_000);

        bytes4[] memory selectors = new bytes4[](11);
        selectors[0] = OptionsVaultHandler.openSeries.selector;
        selectors[1] = OptionsVaultHandler.adjustPosition.selector;
        selectors[2] = OptionsVaultHandler.settle.selector;
        selectors[3] = OptionsVaultHandler.warp.selector;
        selectors[4] = OptionsVaultHandler.deposit.selector;
        selectors[5] = OptionsVaultHandler.withdraw.selector;
        selectors[6] = OptionsVaultHandler.hedgeOut.selector;
        selectors[7] = OptionsVaultHandler.hedgeIn.selector;
        selectors[8] = OptionsVaultHandler.openSeries.selector; // opening twice as likely keeps the book busy
        selectors[9] = OptionsVaultHandler.claim.selector;
        selectors[10] = OptionsVaultHandler.resetExpiryPrice.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
        targetContract(address(handler));
    }

    /// @notice Property 6: balances == deposits − withdrawals − settlement payouts + receipts − hedge out + hedge in,
    ///         and balances + receivables == the same with every settlement counted at its payoff;
    ///         settlement moves exactly intrinsic × |size| to or from the counterparty, on a post-expiry price, and an
    ///         unpaid settlement is recorded as a receivable instead.
    function invariant_collateralConserved() public view {
        assertEq(weth.balanceOf(address(vault)), handler.expectedBalance(address(weth)), "WETH ledger");
        assertEq(usdc.balanceOf(address(vault)), handler.expectedBalance(address(usdc)), "USDC ledger");
        (uint256 wethWad, uint256 usdc6) = vault.collateral();
        assertEq(wethWad, weth.balanceOf(address(vault)), "collateral() WETH");
        assertEq(usdc6, usdc.balanceOf(address(vault)), "collateral() USDC");
        assertEq(handler.ghostPayoffMismatches(), 0, "settle() returned a payoff other than intrinsic x |size|");
        assertEq(handler.ghostCounterpartyMismatches(), 0, "counterparty paid/received other than the payoff");
        assertEq(handler.ghostSettledOnPreExpiryPrice(), 0, "settled at a price other than the expiry's fixed price");
        assertEq(handler.ghostUnauthorizedMoves(), 0, "collateral moved by an unauthorised caller");
        address[] memory counterparties = handler.counterpartyList();
        uint256 receivables;
        for (uint256 i; i < counterparties.length; ++i) {
            uint256 owed = handler.ghostReceivable(counterparties[i]);
            assertEq(vault.receivableUsdc(counterparties[i]), owed, "receivable differs from unpaid settlements");
            receivables += vault.receivableUsdc(counterparties[i]);
        }
        // Value is conserved across settlement: what a defaulter did not pay is still on the books.
        assertEq(usdc.balanceOf(address(vault)) + receivables, handler.expectedValue(address(usdc)), "USDC value");
        assertEq(weth.balanceOf(address(vault)), handler.expectedValue(address(weth)), "WETH value");
    }

    /// @notice Property 6: the active book is exactly the ghost book (ids and sizes), and settled series are gone.
    function invariant_activeSeriesMatchGhostBook() public view {
        uint256 live = handler.ghostLiveCount();
        assertEq(vault.activeSeriesCount(), live, "activeSeriesCount != ghost live series");
        IOptionsVault.SeriesView[] memory book = vault.getActiveSeries(0, live + 1);
        assertEq(book.length, live, "getActiveSeries length");
        for (uint256 i; i < live; ++i) {
            (uint256 id, int256 sizeWad) = handler.ghostLiveAt(i);
            bool found;
            for (uint256 j; j < book.length; ++j) {
                if (book[j].id == id) {
                    found = true;
                    assertEq(book[j].sizeWad, sizeWad, "series size differs from the ghost book");
                }
            }
            assertTrue(found, "ghost live series missing from the active book");
        }
        uint256[] memory gone = handler.ghostGoneIdList();
        for (uint256 i; i < gone.length; ++i) {
            assertEq(vault.getSeries(gone[i]).strikeWad, 0, "settled series not deleted");
        }
        assertEq(handler.ghostExpiredSeriesAdjusted(), 0, "expired series adjusted");
        assertEq(handler.ghostOpenedPastLimit(), 0, "series opened past maxActiveSeries");
    }

    /// @notice Each expiry's price is the answer of the one round that straddles it, and never changes once set.
    function invariant_expiryPriceImmutableOnceSet() public view {
        assertEq(handler.ghostWrongExpiryPrice(), 0, "expiry price from a round that does not straddle expiry");
        assertEq(handler.ghostExpiryPriceOverwritten(), 0, "an expiry price was set twice");
        uint256[] memory expiries = handler.pricedExpiryList();
        for (uint256 i; i < expiries.length; ++i) {
            assertEq(vault.expiryPriceWad(expiries[i]), handler.ghostExpiryPrice(expiries[i]), "expiry price changed");
        }
    }

    /// @notice Claims paid never exceed the claims recorded at settlement; what is left is exactly claimable, and
    ///         the total owed is the sum of the claims.
    function invariant_claimsNeverExceedRecorded() public view {
        assertEq(handler.ghostClaimMismatches(), 0, "claim paid other than min(claimable, USDC held)");
        address[] memory counterparties = handler.counterpartyList();
        uint256 total;
        for (uint256 i; i < counterparties.length; ++i) {
            uint256 recorded = handler.ghostClaimRecorded(counterparties[i]);
            uint256 claimed = handler.ghostClaimed(counterparties[i]);
            assertLe(claimed, recorded, "claimed more than recorded");
            assertEq(vault.claimableUsdc(counterparties[i]), recorded - claimed, "claimable != recorded - claimed");
            total += vault.claimableUsdc(counterparties[i]);
        }
        assertEq(vault.totalClaimableUsdc(), total, "totalClaimableUsdc != sum of claims");
        uint256 held = usdc.balanceOf(address(vault));
        assertEq(vault.settlementShortfallUsdc(), total > held ? total - held : 0, "shortfall != owed - held");
    }

    /// @notice USDC reserved for claims leaves only through `claim`: no withdrawal or hedge transfer ever left the
    ///         vault holding less than it owes.
    function invariant_reservedUsdcLeavesOnlyByClaim() public view {
        assertEq(handler.ghostReservedTaken(), 0, "withdraw/transferForHedge took USDC reserved for claims");
    }
}
